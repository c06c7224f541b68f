;; A tiny engine-like core module for `wizer`: its init function reads all of
;; stdin into linear memory (as jspkg's engine reads the app's source), sums
;; the bytes into a global and grows the memory; at run time `_start` prints
;; what was captured and `checksum`/`len`/`byte_at` return parts of the state.
;; The same code pre-initialized with two different inputs gives two modules
;; that differ only in their state: the case `jspkg split` is about.
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; the captured text starts at 1024; 0..16 is scratch for iovecs
  (global $len (mut i32) (i32.const 0))
  (global $sum (mut i32) (i32.const 0))
  (global $initialized (mut i32) (i32.const 0))

  (func (export "wizer-initialize")
    (local $n i32)
    (local $i i32)
    (block $done
      (loop $read
        ;; make sure at least 64 KiB are free after the text
        (if (i32.lt_u
              (i32.sub (i32.mul (memory.size) (i32.const 65536))
                       (i32.add (i32.const 1024) (global.get $len)))
              (i32.const 65536))
          (then (drop (memory.grow (i32.const 1)))))
        ;; iovec { base = 1024 + len, size = 65536 }
        (i32.store (i32.const 0) (i32.add (i32.const 1024) (global.get $len)))
        (i32.store (i32.const 4) (i32.const 65536))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $n (i32.load (i32.const 8)))
        (br_if $done (i32.eqz (local.get $n)))
        (global.set $len (i32.add (global.get $len) (local.get $n)))
        (br $read)))
    (local.set $i (i32.const 0))
    (block $end
      (loop $sum
        (br_if $end (i32.ge_u (local.get $i) (global.get $len)))
        (global.set $sum
          (i32.add (i32.mul (global.get $sum) (i32.const 31))
                   (i32.load8_u (i32.add (i32.const 1024) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (i32.store (i32.const 0) (i32.const 0))
    (i32.store (i32.const 4) (i32.const 0))
    (i32.store (i32.const 8) (i32.const 0))
    (global.set $initialized (i32.const 1)))

  (func (export "len") (result i32) (global.get $len))
  (func (export "checksum") (result i32) (global.get $sum))
  (func (export "pages") (result i32) (memory.size))
  (func (export "byte_at") (param $i i32) (result i32)
    (i32.load8_u (i32.add (i32.const 1024) (local.get $i))))

  ;; prints the captured text (or a note if the module was never initialized)
  (func (export "_start")
    (if (i32.eqz (global.get $initialized))
      (then
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 16))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (return)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (global.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (data (i32.const 16) "not initialized\n"))
