# corpus: not-test

def main(app):
    app.run(debug=False)
    app.debug = False
