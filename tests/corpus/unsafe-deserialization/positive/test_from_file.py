import pickle


def test_x():
    with open('data.pkl', 'rb') as f:
        obj = pickle.loads(f.read())  # expect: unsafe-deserialization[medium]
    obj2 = pickle.loads(pickle.dumps(obj))  # expect: unsafe-deserialization[low]
