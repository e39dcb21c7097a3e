# corpus: not-test

from flask import Flask

app = Flask(__name__)
app.config['DEBUG'] = True  # expect: debug-mode-enabled
