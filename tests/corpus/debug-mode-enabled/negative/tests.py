def test_x(app):
    app.run(debug=True)
