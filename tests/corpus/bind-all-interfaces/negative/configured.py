# corpus: not-test

def serve(app, conf):
    app.run(host=conf.host, port=conf.port)
