# corpus: not-test

def delete(context, instance):
    assert context.is_admin, "admin only"  # expect: assert-for-validation
