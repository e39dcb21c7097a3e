# corpus: not-test

def main(app, conf):
    app.run(debug=conf.debug)
