def drain(queue):
    while True:
        item = queue.get()
        if item is None:
            break
