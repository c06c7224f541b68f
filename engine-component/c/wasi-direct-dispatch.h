/*
 * Force-included into QuickJS's C sources by build.sh (the `dispatch`
 * lever, issue 12).
 *
 * rquickjs-sys defines EMSCRIPTEN=1 when it builds for wasi, "pretending"
 * to be emscripten for a few platform tests. quickjs-ng's quickjs.c reads
 * EMSCRIPTEN alone in one place: to turn its threaded (computed-goto)
 * dispatch off (DIRECT_DISPATCH 0, a `switch`). Every other EMSCRIPTEN test
 * in quickjs.c and cutils.h also tests __wasi__, so taking the define back
 * here, after the command line's -D and before the source, changes only
 * the dispatch. The native build of the same QuickJS (the throughput
 * baseline in benches/) uses threaded dispatch too.
 */
#undef EMSCRIPTEN
