# componentize-py app B: same world as app A, different top-level state
# (a sorted vocabulary built at pre-initialization time).
import wit_world

VOCABULARY = sorted(set("the quick brown fox jumps over the lazy dog".split()))
GREETING = "Greetings from Python app B"


class WitWorld(wit_world.WitWorld):
    def hello(self, name: str) -> str:
        return f"{GREETING}, {name}! vocabulary: {len(VOCABULARY)}, first {VOCABULARY[0]}"
