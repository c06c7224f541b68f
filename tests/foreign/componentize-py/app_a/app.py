# componentize-py app A: top-level state (a table of squares) is computed when
# componentize-py pre-initializes CPython, and kept in the snapshot.
import wit_world

SQUARES = [n * n for n in range(1, 101)]
GREETING = "Hello from Python app A"


class WitWorld(wit_world.WitWorld):
    def hello(self, name: str) -> str:
        return f"{GREETING}, {name}! squares: {len(SQUARES)}, sum {sum(SQUARES)}"
