;; The token sampler's two passes over a row of float32 logits (token-sampler.ts, count-kernel.ts embeds this
;; module as assembled by wabt 1.0.36 wat2wasm).
;; Memory: counts[LIMIT + 2] int32 at 0 (the last entry is a trash bin for tokens past the cutoff),
;; then the row (its length rounded up to 4, padded with -Infinity), then the candidate indices.
(module
  (memory (export "memory") 1)

  ;; The largest of the padded row's float32 values (NaN when one is NaN).
  (func (export "maxOf") (param $p i32) (param $groups i32) (result f64)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $a (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $b (local.get $a))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $groups) (i32.const 4))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $a (f32x4.max (local.get $a) (v128.load (local.get $p))))
        (local.set $b (f32x4.max (local.get $b) (v128.load offset=16 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $next)))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then (local.set $a (f32x4.max (local.get $a) (v128.load (local.get $p))))))
    (local.set $a (f32x4.max (local.get $a) (local.get $b)))
    (f64.promote_f32
      (f32.max
        (f32.max (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
        (f32.max (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a))))))

  ;; counts[(y + 0.5) | 0] += 1 for every token with y = (max - logit) * scale < limit (the others go to
  ;; counts[limit + 1]); the indices of the tokens with y < near are written at $cand in ascending order.
  ;; y is computed in float64 from the float32 logit, as JavaScript computes it. Returns how many were written.
  (func (export "count") (param $p i32) (param $groups i32) (param $max f64) (param $scale f64) (param $limit f64) (param $near f64) (param $cand i32) (result i32)
    (local $g i32) (local $a i32) (local $v v128) (local $lo v128) (local $hi v128) (local $k v128) (local $found i32)
    (local $maxv v128) (local $scalev v128) (local $limitv v128) (local $nearv v128) (local $trashv v128) (local $halfv v128)
    (local.set $maxv (f64x2.splat (local.get $max)))
    (local.set $scalev (f64x2.splat (local.get $scale)))
    (local.set $limitv (f64x2.splat (local.get $limit)))
    (local.set $nearv (f64x2.splat (local.get $near)))
    (local.set $trashv (f64x2.splat (f64.add (local.get $limit) (f64.const 1))))
    (local.set $halfv (f64x2.splat (f64.const 0.5)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $v (v128.load (i32.add (local.get $p) (i32.shl (local.get $g) (i32.const 4)))))
        (local.set $lo (f64x2.mul (f64x2.sub (local.get $maxv) (f64x2.promote_low_f32x4 (local.get $v))) (local.get $scalev)))
        (local.set $hi (f64x2.mul (f64x2.sub (local.get $maxv)
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v)))) (local.get $scalev)))
        (if (v128.any_true (v128.or (f64x2.lt (local.get $lo) (local.get $nearv)) (f64x2.lt (local.get $hi) (local.get $nearv))))
          (then
            (if (f64.lt (f64x2.extract_lane 0 (local.get $lo)) (local.get $near))
              (then (i32.store (i32.add (local.get $cand) (i32.shl (local.get $found) (i32.const 2))) (i32.shl (local.get $g) (i32.const 2)))
                    (local.set $found (i32.add (local.get $found) (i32.const 1)))))
            (if (f64.lt (f64x2.extract_lane 1 (local.get $lo)) (local.get $near))
              (then (i32.store (i32.add (local.get $cand) (i32.shl (local.get $found) (i32.const 2))) (i32.add (i32.shl (local.get $g) (i32.const 2)) (i32.const 1)))
                    (local.set $found (i32.add (local.get $found) (i32.const 1)))))
            (if (f64.lt (f64x2.extract_lane 0 (local.get $hi)) (local.get $near))
              (then (i32.store (i32.add (local.get $cand) (i32.shl (local.get $found) (i32.const 2))) (i32.add (i32.shl (local.get $g) (i32.const 2)) (i32.const 2)))
                    (local.set $found (i32.add (local.get $found) (i32.const 1)))))
            (if (f64.lt (f64x2.extract_lane 1 (local.get $hi)) (local.get $near))
              (then (i32.store (i32.add (local.get $cand) (i32.shl (local.get $found) (i32.const 2))) (i32.add (i32.shl (local.get $g) (i32.const 2)) (i32.const 3)))
                    (local.set $found (i32.add (local.get $found) (i32.const 1)))))))
        ;; steps: lanes past the cutoff (or NaN) become the trash bin, then (y + 0.5) truncated
        (local.set $k (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
          (v128.bitselect (local.get $lo) (local.get $trashv) (f64x2.lt (local.get $lo) (local.get $limitv))) (local.get $halfv))))
        (local.set $a (i32.shl (i32x4.extract_lane 0 (local.get $k)) (i32.const 2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.shl (i32x4.extract_lane 1 (local.get $k)) (i32.const 2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $k (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
          (v128.bitselect (local.get $hi) (local.get $trashv) (f64x2.lt (local.get $hi) (local.get $limitv))) (local.get $halfv))))
        (local.set $a (i32.shl (i32x4.extract_lane 0 (local.get $k)) (i32.const 2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.shl (i32x4.extract_lane 1 (local.get $k)) (i32.const 2)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $next)))
    (local.get $found)))
