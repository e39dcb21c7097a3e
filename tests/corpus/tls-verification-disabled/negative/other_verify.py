# corpus: not-test

def check(image, ssl):
    image.download(verify=False)
    return image.mode == ssl.CERT_NONE
