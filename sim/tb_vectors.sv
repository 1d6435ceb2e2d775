// SPDX-License-Identifier: Apache-2.0
// Icarus testbench: replays a vector file written by `bgcosim --vectors FILE` (the golden model's
// stimulus and expected end-of-sample state) on rtl/bg_core.sv and compares every expected word.
// Line format, hexadecimal: "op a b c" with op 1 memory write (sel, addr, data), 2 configuration
// write (addr, data), 3 start (cmd) then wait until idle, 4 memory read expecting (sel, addr,
// value), 5 configuration read expecting (addr, value). Run: vvp SIM +vectors=FILE.
module tb_vectors;
  logic clk = 1'b0;
  always #5 clk = ~clk;

  logic rst_n, start, busy, done, cfg_we, hm_re, hm_we, chk_valid;
  logic [1:0] cmd;
  logic [7:0] cfg_addr;
  logic [31:0] cfg_wdata, hm_addr;
  logic [63:0] cfg_rdata, hm_wdata, hm_rdata;
  logic [3:0] hm_sel, chk_kind;
  logic [15:0] chk_t;

  bg_core dut (
    .clk(clk), .rst_n(rst_n), .start(start), .cmd(cmd), .busy(busy), .done(done),
    .cfg_we(cfg_we), .cfg_addr(cfg_addr), .cfg_wdata(cfg_wdata), .cfg_rdata(cfg_rdata),
    .hm_re(hm_re), .hm_we(hm_we), .hm_sel(hm_sel), .hm_addr(hm_addr), .hm_wdata(hm_wdata),
    .hm_rdata(hm_rdata), .chk_en(1'b0), .chk_go(1'b0), .chk_valid(chk_valid),
    .chk_kind(chk_kind), .chk_t(chk_t));

  integer fd, n, op, line, samples, compared, mismatches;
  logic [63:0] a, b, c, guard;
  integer debug;
  reg [8*512-1:0] path;

  initial begin
    if (!$value$plusargs("vectors=%s", path)) begin
      $display("icarus: usage: vvp SIM +vectors=FILE");
      $finish;
    end
    debug = $test$plusargs("debug");
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $display("icarus: cannot open %0s", path);
      $finish;
    end
    {start, cfg_we, hm_re, hm_we} = '0;
    cmd = '0; cfg_addr = '0; cfg_wdata = '0; hm_sel = '0; hm_addr = '0; hm_wdata = '0;
    rst_n = 1'b0;
    repeat (2) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    line = 0; samples = 0; compared = 0; mismatches = 0;
    while (!$feof(fd) && mismatches == 0) begin
      n = $fscanf(fd, "%d %h %h %h\n", op, a, b, c);
      line = line + 1;
      if (n == 4) begin
        case (op)
          1: begin
            hm_we = 1'b1; hm_sel = a[3:0]; hm_addr = b[31:0]; hm_wdata = c;
            @(negedge clk);
            hm_we = 1'b0;
          end
          2: begin
            cfg_we = 1'b1; cfg_addr = a[7:0]; cfg_wdata = b[31:0];
            @(negedge clk);
            cfg_we = 1'b0;
          end
          3: begin
            start = 1'b1; cmd = a[1:0];
            @(negedge clk);
            start = 1'b0;
            guard = 0;
            while (busy && guard < 64'd100000000) begin
              @(negedge clk);
              guard = guard + 1;
              if (debug && guard % 1000 == 0) $display("icarus: cycle %0d state %0d t %0d l %0d i %0d", guard, dut.st, dut.t, dut.l, dut.i);
            end
            if (busy) begin
              $display("icarus: line %0d: the core is still busy after %0d cycles", line, guard);
              mismatches = mismatches + 1;
            end
            samples = samples + 1;
          end
          4: begin
            hm_re = 1'b1; hm_sel = a[3:0]; hm_addr = b[31:0];
            @(negedge clk);
            hm_re = 1'b0;
            compared = compared + 1;
            if (hm_rdata !== c) begin
              mismatches = mismatches + 1;
              $display("icarus: FIRST DIVERGENCE at line %0d (sample %0d): memory %0d address %0d: expected %0h, got %0h",
                       line, samples, a, b, c, hm_rdata);
            end
          end
          5: begin
            cfg_addr = a[7:0];
            @(negedge clk);             // stay on the negedge grid: writes need the next posedge
            compared = compared + 1;
            if (cfg_rdata !== b) begin
              mismatches = mismatches + 1;
              $display("icarus: FIRST DIVERGENCE at line %0d (sample %0d): configuration word %0d: expected %0h, got %0h",
                       line, samples, a, b, cfg_rdata);
            end
          end
          default: begin
            $display("icarus: %0s line %0d: unknown operation %0d", path, line, op);
            mismatches = mismatches + 1;
          end
        endcase
      end else if (!$feof(fd)) begin
        $display("icarus: %0s line %0d: expected 4 fields", path, line);
        mismatches = mismatches + 1;
      end
    end
    $display("icarus: %0d samples, %0d values compared, %0d mismatches", samples, compared, mismatches);
    $finish;
  end
endmodule
