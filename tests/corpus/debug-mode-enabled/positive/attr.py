# corpus: not-test

from flask import Flask

app = Flask(__name__)
app.debug = True  # expect: debug-mode-enabled
