"""The wiring, the top layer: app factory, route list, worker settings, CLI, demo, migrations.

Nothing imports this package but the entry points (the `club` command, uvicorn's factory,
the tests and the benchmarks); every other package sits below it.
"""
