/* SPDX-License-Identifier: Apache-2.0 */
/* Network description: every malformed input gives a clear error naming the file and the
 * JSON path, with what was expected and what was found; nothing crashes. */
#include <stdlib.h>
#include <string.h>

#include "bg_net.h"
#include "bg_test.h"

#define HDR "\"format\": \"biograd-net/1\", \"name\": \"e\""
#define L3 "\"layers\": [{\"size\": 16}, {\"size\": 8}, {\"size\": 4}]"
#define OK(extra) "{" HDR ", " L3 extra "}"

typedef struct {
  const char *name;
  const char *json;
  const char *want[3]; /* substrings the message must contain */
} bad_case_t;

static const bad_case_t kCases[] = {
    {"syntax", "{\"format\": \"biograd-net/1\",\n  \"name\": \"x\",, }",
     {"test.json:2:", "expected valid JSON", "syntax error"}},
    {"empty", "", {"test.json:1:1", "at the end of the file", NULL}},
    {"not_object", "[1, 2]", {"test.json: expected a JSON object", "array of 2 elements", NULL}},
    {"missing_format", "{\"name\": \"x\", " L3 "}", {"test.json: format: required", NULL, NULL}},
    {"wrong_format", "{\"format\": \"biograd-net/9\", \"name\": \"x\", " L3 "}",
     {"format: expected \"biograd-net/1\", found \"biograd-net/9\"", NULL, NULL}},
    {"bad_name", "{\"format\": \"biograd-net/1\", \"name\": \"My Net\", " L3 "}",
     {"name: expected a name", "[a-z0-9_-]", "\"My Net\""}},
    {"unknown_top_key", OK(", \"layerz\": 1"),
     {"test.json: layerz: unknown key \"layerz\"", "did you mean \"layers\"", NULL}},
    {"duplicate_key", "{" HDR ", \"seed\": 1, \"seed\": 2, " L3 "}",
     {"seed: duplicate key", NULL, NULL}},
    {"missing_layers", "{" HDR "}", {"layers: required", NULL, NULL}},
    {"one_layer", "{" HDR ", \"layers\": [{\"size\": 3}]}",
     {"layers: expected an array of 2 to 8 layers", "found an array of 1 element", NULL}},
    {"fractional_size", "{" HDR ", \"layers\": [{\"size\": 16}, {\"size\": 12.5}, {\"size\": 4}]}",
     {"test.json: layers[1].size: expected an integer in [1, 16777216], found 12.5", NULL, NULL}},
    {"missing_size", "{" HDR ", \"layers\": [{\"size\": 16}, {\"name\": \"h\"}, {\"size\": 4}]}",
     {"layers[1].size: required", NULL, NULL}},
    {"neuron_on_input",
     "{" HDR ", \"layers\": [{\"size\": 16, \"neuron\": {}}, {\"size\": 8}, {\"size\": 4}]}",
     {"layers[0].neuron: unknown key \"neuron\"", "allowed here: name, size", NULL}},
    {"feedback_on_output",
     "{" HDR ", \"layers\": [{\"size\": 16}, {\"size\": 8}, {\"size\": 4, \"feedback\": {}}]}",
     {"layers[2].feedback: unknown key", NULL, NULL}},
    {"threshold_string",
     "{" HDR ", \"layers\": [{\"size\": 16}, {\"size\": 8, \"neuron\": {\"threshold\": \"high\"}}, "
     "{\"size\": 4}]}",
     {"layers[1].neuron.threshold: expected a number", "found the string \"high\"", NULL}},
    {"typo_in_neuron", OK(", \"neuron\": {\"treshold\": 0.3}"),
     {"neuron.treshold: unknown key", "did you mean \"threshold\"", NULL}},
    {"decay_and_shift", OK(", \"neuron\": {\"decay\": 0.5, \"decay_shift\": 1}"),
     {"neuron: expected either \"decay\"", "found both", NULL}},
    {"decay_one", OK(", \"neuron\": {\"decay\": 1}"), {"neuron.decay: expected a factor in [0, 1)", NULL, NULL}},
    {"reset_enum", OK(", \"neuron\": {\"reset\": \"zero\"}"),
     {"neuron.reset: expected one of \"hard\", \"soft\", found the string \"zero\"", NULL, NULL}},
    {"weight_cannot_hold_init",
     "{" HDR ", \"layers\": [{\"size\": 16}, {\"size\": 8, \"weight\": {\"bits\": 4, \"frac\": 6}}, "
     "{\"size\": 4}]}",
     {"layers[1].weight: expected a format that holds the init range ±0.25", "4-bit with 6 "
      "fractional bits", NULL}},
    {"weight_too_coarse",
     "{" HDR ", \"layers\": [{\"size\": 16}, {\"size\": 8, \"weight\": {\"bits\": 8, \"frac\": 0}}, "
     "{\"size\": 4}]}",
     {"layers[1].weight: expected enough fractional bits", "round to zero", NULL}},
    {"accumulator_too_narrow", OK(", \"fixed_point\": {\"accumulator_bits\": 20}"),
     {"fixed_point.accumulator_bits: expected at least 37 bits", "found 20", NULL}},
    {"error_start_late", OK(", \"time\": {\"steps\": 10, \"error_start\": 10}"),
     {"time.error_start: expected a step before time.steps = 10", "found 10", NULL}},
    {"count_bits_small", OK(", \"time\": {\"steps\": 300}, \"fixed_point\": {\"count_bits\": 8}"),
     {"fixed_point.count_bits: expected a spike counter wide enough", "300", "max 255"}},
    {"shape_mismatch", OK(", \"input\": {\"shape\": [5, 5]}"),
     {"input.shape: expected dimensions whose product is layers[0].size = 16", "= 25", NULL}},
    {"event_needs_two_channels", OK(", \"input\": {\"encoding\": \"event\", \"shape\": [1, 4, 4]}"),
     {"input.shape: expected 2 channels", NULL, NULL}},
    {"bin_ms_with_rate", OK(", \"input\": {\"bin_ms\": 5}"),
     {"input.bin_ms: applies only to \"encoding\": \"event\"", NULL, NULL}},
    {"sleep_without_hidden", "{" HDR ", \"layers\": [{\"size\": 16}, {\"size\": 4}]}",
     {"sleep.enabled: expected false for a network without a hidden layer", NULL, NULL}},
    {"sleep_samples_pow2", OK(", \"sleep\": {\"samples\": 100}"),
     {"sleep.samples: expected a power of two", "found 100", NULL}},
    {"noise_rate", OK(", \"sleep\": {\"noise_rate\": 1.5}"),
     {"sleep.noise_rate: expected \"uniform\"", "found 1.5", NULL}},
    {"rate_zero", OK(", \"learning\": {\"rate\": 0}"),
     {"learning.rate: expected a number in (0, 1], found 0", NULL, NULL}},
    {"batch_negative", OK(", \"learning\": {\"batch\": -1}"),
     {"learning.batch: expected an integer in [1, 65536], found -1", NULL, NULL}},
    {"bias_not_bool", OK(", \"learning\": {\"bias\": 1}"),
     {"learning.bias: expected true or false, found 1", NULL, NULL}},
    {"error_format_too_narrow", OK(", \"fixed_point\": {\"error\": {\"bits\": 16, \"frac\": 15}}"),
     {"fixed_point.error: expected a format that holds ±1", NULL, NULL}},
    {"index_bits", "{" HDR ", \"layers\": [{\"size\": 300}, {\"size\": 8}, {\"size\": 4}], "
     "\"hardware\": {\"neuron_index_bits\": 8}}",
     {"hardware.neuron_index_bits: expected 8-bit neuron indices", "300 neurons", "needs 9 bits"}},
    {"lanes_pow2", OK(", \"hardware\": {\"lanes\": 3}"),
     {"hardware.lanes: expected a power of two", NULL, NULL}},
    {"seed_too_big", OK(", \"seed\": 4294967296"),
     {"seed: expected an integer in [0, 4294967295], found 4294967296", NULL, NULL}},
    {"huge_number", OK(", \"learning\": {\"error_threshold\": 1e999}"),
     {"learning.error_threshold: expected a number", NULL, NULL}},
    {"rule_unknown", OK(", \"rule\": \"hebb\""),
     {"rule: expected one of \"biograd\", \"bptt\", \"ssnn-bp\", \"bioleaf\", found the string "
      "\"hebb\"", NULL, NULL}},
    {"rule_option_other_rule", OK(", \"rule\": \"bptt\", \"rule_options\": {\"kappa\": 2}"),
     {"rule_options.kappa", "spatial", NULL}},
    {"rule_option_range", OK(", \"rule\": \"bioleaf\", \"rule_options\": {\"pre_decay\": 1.5}"),
     {"rule_options.pre_decay", "1.5", NULL}},
    {"section_not_object", OK(", \"time\": 20"), {"time: expected an object, found 20", NULL, NULL}},
    {"duplicate_layer_names",
     "{" HDR ", \"layers\": [{\"size\": 16, \"name\": \"a\"}, {\"size\": 8, \"name\": \"a\"}, "
     "{\"size\": 4}]}",
     {"layers[1].name: expected a unique layer name", NULL, NULL}},
};

static int t_bad_inputs_name_path(void) {
  static bg_net_t net;
  bg_err_t err;
  for (size_t i = 0; i < sizeof kCases / sizeof kCases[0]; i++) {
    const bad_case_t *c = &kCases[i];
    err.msg[0] = '\0';
    int rc = bg_net_parse(c->json, strlen(c->json), "test.json", &net, &err);
    BG_CHECK(rc < 0, "case %s: accepted", c->name);
    for (int k = 0; k < 3 && c->want[k] != NULL; k++) {
      BG_CHECK(strstr(err.msg, c->want[k]) != NULL, "case %s: message lacks \"%s\":\n%s", c->name,
               c->want[k], err.msg);
    }
  }
  return 0;
}

static int t_good_minimal_accepted(void) {
  static bg_net_t net;
  bg_err_t err;
  const char *j = OK("");
  BG_CHECK(bg_net_parse(j, strlen(j), "test.json", &net, &err) == BG_OK, "%s", err.msg);
  return 0;
}

static int t_all_problems_reported(void) {
  static bg_net_t net;
  bg_err_t err;
  const char *j = OK(", \"seed\": -1, \"learning\": {\"batch\": 0}, \"bogus\": true");
  BG_CHECK(bg_net_parse(j, strlen(j), "test.json", &net, &err) < 0, "accepted");
  BG_CHECK(strstr(err.msg, "seed:") && strstr(err.msg, "learning.batch:") &&
               strstr(err.msg, "bogus:"), "expected all three problems:\n%s", err.msg);
  return 0;
}

static int t_nul_byte_offset(void) {
  static bg_net_t net;
  bg_err_t err;
  const char j[] = "{\"format\": \0 }";
  BG_CHECK(bg_net_parse(j, sizeof j - 1, "test.json", &net, &err) == BG_E_FORMAT, "accepted");
  BG_CHECK(strstr(err.msg, "byte offset 11") && strstr(err.msg, "NUL byte"), "%s", err.msg);
  return 0;
}

static int t_deep_nesting_and_huge_input(void) {
  static bg_net_t net;
  bg_err_t err;
  size_t n = 200000;
  char *deep = malloc(2 * n + 1);
  BG_CHECK(deep != NULL, "malloc");
  memset(deep, '[', n);
  memset(deep + n, ']', n);
  deep[2 * n] = '\0';
  int rc = bg_net_parse(deep, 2 * n, "deep.json", &net, &err);
  free(deep);
  BG_CHECK(rc < 0, "deep nesting accepted");
  size_t big = BG_NET_MAX_FILE + 10;
  char *huge = malloc(big);
  BG_CHECK(huge != NULL, "malloc");
  memset(huge, ' ', big);
  rc = bg_net_parse(huge, big, "huge.json", &net, &err);
  free(huge);
  BG_CHECK(rc == BG_E_FORMAT && strstr(err.msg, "at most 1048576 bytes"), "%s", err.msg);
  return 0;
}

static int t_file_errors(void) {
  static bg_net_t net;
  bg_err_t err;
  BG_CHECK(bg_net_load("nets/does-not-exist.json", &net, &err) == BG_E_IO, "missing file");
  BG_CHECK(strstr(err.msg, "nets/does-not-exist.json: cannot open"), "%s", err.msg);
  BG_CHECK(bg_net_load("nets", &net, &err) < 0, "a directory was accepted");
  BG_CHECK(strstr(err.msg, "nets"), "%s", err.msg);
  return 0;
}

int main(void) {
  BG_RUN(t_good_minimal_accepted);
  BG_RUN(t_bad_inputs_name_path);
  BG_RUN(t_all_problems_reported);
  BG_RUN(t_nul_byte_offset);
  BG_RUN(t_deep_nesting_and_huge_input);
  BG_RUN(t_file_errors);
  return bg_test_exit();
}
