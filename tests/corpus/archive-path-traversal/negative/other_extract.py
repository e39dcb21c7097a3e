# corpus: not-test

def unpack(image, dest):
    image.extractall(dest)
    return dest
