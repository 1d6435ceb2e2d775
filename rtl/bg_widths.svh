// SPDX-License-Identifier: Apache-2.0
// Elaboration-time helpers on the generated per-layer tables (bg_cfg_pkg::<Name>Tab, 32 bits per
// layer), written in the Verilog-2001 constant-function form that Icarus 11, Yosys 0.23 and
// 5.006 release of Verilator all evaluate. Included inside a module, before the widths using them.

// Entry l of a packed per-layer table.
function automatic integer tab(input logic [255:0] tb, input integer l);
  tab = $signed(tb[32 * l +: 32]);
endfunction

// Whether a unit's layer select takes entry q (1 .. nl-1, scanned upwards, the last hit kept)
// for the run-time index ly: layer 1 always hits, so an index outside 1 .. nl-1 (the controller
// uses no unit's result while its layer index is 0) reads layer 1's entry. A table equal on
// every layer then folds to a constant, and the layer register drops out of the paths through it.
function automatic logic lhit(input logic [2:0] ly, input integer q);
  lhit = (q == 1) || (ly == 3'(q));
endfunction

// Entry ly of the table for a layer index known only at run time (1 .. nl-1): a multiplexer of
// the generated values (layer 1's for any other index, see lhit).
function automatic integer lsel(input logic [255:0] tb, input logic [2:0] ly, input integer nl);
  integer r, tq;
  r = 0;
  for (tq = 1; tq < nl; tq = tq + 1) if (lhit(ly, tq)) r = tab(tb, tq);
  lsel = r;
endfunction

function automatic integer imax(input integer a, input integer tbw);
  imax = (a > tbw) ? a : tbw;
endfunction

// The smallest signed width that holds entry l of the table for every layer 1 .. nl-1.
function automatic integer tab_bits(input logic [255:0] tb, input integer nl);
  integer tbw, tq, tn, tv;
  tbw = 2;
  for (tq = 1; tq < nl; tq = tq + 1) begin
    tv = tb[32 * tq +: 32];
    for (tn = 31; tn >= 1; tn = tn - 1)
      if (!(tv >= -(32'sd1 <<< (tn - 1)) && tv < (32'sd1 <<< (tn - 1))) && tn + 1 > tbw)
        tbw = tn + 1;
  end
  tab_bits = tbw;
endfunction

// The largest entry of the table over layers 1 .. nl-1.
function automatic integer tab_max(input logic [255:0] tb, input integer nl);
  integer mx, tq, tv;
  mx = -32'sd2147483647;
  for (tq = 1; tq < nl; tq = tq + 1) begin
    tv = tb[32 * tq +: 32];
    if (tv > mx) mx = tv;
  end
  tab_max = mx;
endfunction

// The smallest entry of the table over layers 1 .. nl-1.
function automatic integer tab_min(input logic [255:0] tb, input integer nl);
  integer mn, tq, tv;
  mn = 32'sd2147483647;
  for (tq = 1; tq < nl; tq = tq + 1) begin
    tv = tb[32 * tq +: 32];
    if (tv < mn) mn = tv;
  end
  tab_min = mn;
endfunction

// The width of the sleep unit's C·2^Bf − RND(B·Q) (bg_feedback_unit's diff), for correlations of
// cbits, feedback words of fbbits and sums Q of qbits over the layers 1 .. nl-1
function automatic integer fb_diff_bits(input logic [255:0] frac_tb, input integer nl,
                                        input integer cbits, input integer fbbits,
                                        input integer qbits);
  fb_diff_bits = imax(cbits + tab_max(frac_tb, nl), fbbits + qbits + 1) + 2;
endfunction
