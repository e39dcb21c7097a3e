from nova import policy

policy.authorize = lambda *a, **kw: True  # expect: authorization-always-allows
