/* parseReply() and targetReply(): see reply.h. */
#include "reply.h"

#include <math.h>

#include "json.h"
#include "text.h"

const char *const hs_probe_names[3] = {"liveness", "readiness", "startup"};
const char *const hs_status_names[3] = {"healthy", "degraded", "unhealthy"};

int status_of(str s) {
  for (int i = 0; i < 3; i++)
    if (str_eq(s, hs_status_names[i])) return i;
  return -1;
}

int probe_of(str s) {
  for (int i = 0; i < 3; i++)
    if (str_eq(s, hs_probe_names[i])) return i;
  return -1;
}

static bool is_record(int n) { return n >= 0 && json_node(n)->type == J_OBJ; }
static bool is_str(int n) { return n >= 0 && json_node(n)->type == J_STR; }
static int str_status(int n) { return is_str(n) ? status_of(json_node(n)->s) : -1; }

static bool is_check(int n) {
  if (!is_record(n)) return false;
  int msg = json_get(n, "message");
  return is_str(json_get(n, "name")) && str_status(json_get(n, "status")) >= 0 &&
         json_get(n, "durationMs") >= 0 && json_node(json_get(n, "durationMs"))->type == J_NUM &&
         (msg < 0 || is_str(msg));
}

int parse_reply(str line, reply *out, sbuf *reason, str *code, str *message) {
  int root = json_parse(line);
  if (root < 0) return sb_cstr(reason, "reply is not JSON"), PARSED_BAD;
  if (!is_record(root)) return sb_cstr(reason, "reply is not a JSON object"), PARSED_BAD;
  int v = json_get(root, "v");
  if (v < 0 || json_node(v)->type != J_NUM || json_node(v)->num != 1) {
    sb_cstr(reason, "reply has protocol version ");
    if (v < 0) sb_cstr(reason, "undefined");
    else json_stringify(reason, v);
    sb_cstr(reason, ", expected 1");
    return PARSED_BAD;
  }
  int err = json_get(root, "error");
  if (err >= 0) {
    int c = is_record(err) ? json_get(err, "code") : -1, m = is_record(err) ? json_get(err, "message") : -1;
    if (!is_str(c) || !is_str(m)) return sb_cstr(reason, "error reply lacks a code and message"), PARSED_BAD;
    *code = json_node(c)->s;
    *message = json_node(m)->s;
    return PARSED_ERROR;
  }
  int probe = json_get(root, "probe");
  if (!is_str(probe) || probe_of(json_node(probe)->s) < 0) return sb_cstr(reason, "reply names no known probe"), PARSED_BAD;
  int status = str_status(json_get(root, "status"));
  if (status < 0) return sb_cstr(reason, "reply has no valid status"), PARSED_BAD;
  int dur = json_get(root, "durationMs");
  if (dur < 0 || json_node(dur)->type != J_NUM) return sb_cstr(reason, "reply has no durationMs"), PARSED_BAD;
  int msg = json_get(root, "message");
  if (msg >= 0 && !is_str(msg)) return sb_cstr(reason, "reply message is not a string"), PARSED_BAD;
  int checks = json_get(root, "checks");
  bool list = checks >= 0 && json_node(checks)->type == J_ARR;
  int count = 0;
  for (int c = list ? json_node(checks)->child : -1; c >= 0; c = json_node(c)->next, count++)
    if (!is_check(c)) list = false;
  if (!list) return sb_cstr(reason, "reply checks are not a list of {name, status, durationMs}"), PARSED_BAD;
  out->probe = probe_of(json_node(probe)->s);
  out->status = status;
  out->duration_ms = json_node(dur)->num;
  out->has_message = msg >= 0;
  out->message = msg >= 0 ? json_node(msg)->s : (str){"", 0};
  out->checks = checks;
  out->nchecks = count;
  return PARSED_REPLY;
}

bool reply_next_check(const reply *r, int *cursor, check *out) {
  if (r->checks < 0) return false;
  int c = *cursor < 0 ? json_node(r->checks)->child : json_node(*cursor)->next;
  if (c < 0) return false;
  *cursor = c;
  int msg = json_get(c, "message");
  out->name = json_node(json_get(c, "name"))->s;
  out->status = str_status(json_get(c, "status"));
  out->duration_ms = json_node(json_get(c, "durationMs"))->num;
  out->has_message = msg >= 0;
  out->message = msg >= 0 ? json_node(msg)->s : (str){"", 0};
  out->data = json_get(c, "data");
  return true;
}

void target_reply(reply *r, int probe, int status, double duration_ms, str message) {
  r->probe = probe;
  r->status = status;
  r->duration_ms = js_round(duration_ms * 10) / 10;
  r->has_message = true;
  r->message = message;
  r->checks = -1;
  r->nchecks = 0;
}
