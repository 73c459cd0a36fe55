"""The notebook hangs while loading (after defining every function): nothing can be graded."""
while True:
    pass
