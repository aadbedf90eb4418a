/* parseArgs(): see args.h. The plain command line that probes write is read directly; anything
 * else is read as yargs reads it for these options, with yargs's messages. */
#include "args.h"

#include <string.h>

#include "parse_duration.h"
#include "target.h"
#include "text.h"

/* The Node CLI's help, and one line for what only it has. A test compares the two. */
const char hs_help_text[] =
    "healthsock [probe] [target]\n"
    "\n"
    "Probe a healthsock worker, an HTTP(S) URL, a TCP port, a gRPC health service or a heartbeat file; exit 0 if it "
    "passes, 1 if not.\n"
    "  probe   liveness, readiness or startup                    [default: liveness]\n"
    "  target  what to probe                [default: $HEALTHSOCK_SOCKET, else /tmp/healthsock.sock]\n"
    "\n"
    "Options:\n"
    "  -s, --socket   The target: a socket path or @name, or any target below  [string] [default: "
    "$HEALTHSOCK_SOCKET, else /tmp/healthsock.sock]\n"
    "      --target   The same as the target argument  [string]\n"
    "  -t, --timeout  Deadline for the whole probe, e.g. 800ms or 2s  [string] [default: \"800ms\"]\n"
    "      --max-age  file: targets: the heartbeat must be younger than this  [string] [default: \"15s\"]\n"
    "      --json     Print the reply as one JSON line on stdout  [boolean] [default: false]\n"
    "  -v, --verbose  Also print a line per check  [boolean] [default: false]\n"
    "  -q, --quiet    Print nothing on success  [boolean] [default: false]\n"
    "  -H, --header   grpc:// targets: metadata sent with the call, 'name: value'; repeatable  [string]\n"
    "      --watch    Ask again every interval and show each check live; Ctrl-C ends it (exit 0)  [string] "
    "[default: 1s when given alone]\n"
    "      --version  Show version number  [boolean]\n"
    "  -h, --help     Show help  [boolean]\n"
    "\n"
    "Examples:\n"
    "  healthsock readiness /run/app/health.sock        A healthsock worker's socket (or @name, or -s PATH)\n"
    "  healthsock readiness http://127.0.0.1:8080       An HTTP service: GET /readyz\n"
    "  healthsock https://127.0.0.1:8443/health         Any path, sent with X-Probe: liveness\n"
    "  healthsock tcp://127.0.0.1:5432                  A TCP port: connect, then close\n"
    "  healthsock readiness grpc://127.0.0.1:50051      A gRPC health service: Check the service readiness\n"
    "  healthsock file:/run/app/heartbeat --max-age 1m  A heartbeat file younger than 1 minute\n"
    "  healthsock -v -t 2s                              Liveness with a 2 s deadline, and a line per check\n"
    "  healthsock readiness --watch 2s                  Ask every 2 s: a live table on a terminal, a line per "
    "change in a pipe\n"
    "\n"
    "Targets: a socket path or @name (unix:/path also works), http://host:port[/path] or https://..., "
    "tcp://host:port, grpc://host:port[/service] or grpcs://..., file:/path/to/heartbeat.\n"
    "An http(s) URL without a path asks /livez, /readyz or /startupz by probe; 200-399 passes.\n"
    "grpc(s):// asks the service in its path, else the probe's name.\n"
    "\n"
    "Exit status: 0 when the probe passes (healthy or degraded), 1 otherwise.\n"
    "On failure the first line on stderr starts with its class: timeout:, refused:, no-socket:, no-host:, "
    "no-file:, unhealthy:, bad-reply:, usage: or internal:.\n"
    "This is the native build: grpc:// and grpcs:// targets, and the redrawing terminal view of --watch, are in "
    "the Node.js healthsock CLI; here --watch prints a line per change everywhere.";

/* The plain command line reads the options before K_WATCH only. */
enum { K_SOCKET, K_TARGET, K_TIMEOUT, K_MAX_AGE, K_JSON, K_VERBOSE, K_QUIET, K_WATCH, K_HEADER, K_VERSION, K_HELP, K_COUNT };

static const struct {
  const char *name, *alias, *camel;
  bool is_string;
} OPTS[K_COUNT] = {
    {"socket", "s", NULL, true},   {"target", NULL, NULL, true},   {"timeout", "t", NULL, true},
    {"max-age", NULL, "maxAge", true}, {"json", NULL, NULL, false},   {"verbose", "v", NULL, false},
    {"quiet", "q", NULL, false},   {"watch", NULL, NULL, true},    {"header", "H", NULL, true},
    {"version", NULL, NULL, false},
    {"help", "h", NULL, false},
};

#define MAX_POS 64

typedef struct {
  str pos[MAX_POS];
  int npos;
  str value[K_COUNT];
  int count[K_COUNT];
  bool flag[K_COUNT];
  /* Unknown option names, as yargs lists them. */
  str unknown[16];
  int nunknown;
} values;

static int find_long(str name) {
  for (int k = 0; k < K_COUNT; k++)
    if (str_eq(name, OPTS[k].name) || (OPTS[k].camel && str_eq(name, OPTS[k].camel))) return k;
  return -1;
}

static int find_short(char c) {
  for (int k = 0; k < K_COUNT; k++)
    if (OPTS[k].alias && OPTS[k].alias[0] == c) return k;
  return -1;
}

static void add_unknown(values *v, str name) {
  if (v->nunknown < 16) v->unknown[v->nunknown++] = name;
}

/* What yargs-parser makes of the command line, with yargs's checks for missing values. */
static int read_values(int argc, str *argv, values *v) {
  for (int i = 0; i < argc; i++) {
    str a = argv[i];
    if (str_eq(a, "--")) {
      for (i++; i < argc; i++)
        if (v->npos < MAX_POS) v->pos[v->npos++] = argv[i];
      break;
    }
    if (a.n >= 2 && a.p[0] == '-' && a.p[1] == '-' && a.n > 2) {
      str name = {a.p + 2, a.n - 2};
      const char *eq = memchr(name.p, '=', name.n);
      str val = {0, 0};
      bool has_val = false;
      if (eq) {
        val = (str){eq + 1, (size_t)(name.p + name.n - eq - 1)};
        name.n = (size_t)(eq - name.p);
        has_val = true;
      }
      bool negated = false;
      int k = find_long(name);
      if (k < 0 && str_starts(name, "no-") && !has_val) {
        k = find_long((str){name.p + 3, name.n - 3});
        negated = k >= 0;
      }
      if (k < 0) {
        add_unknown(v, name);
        if (!has_val && i + 1 < argc && argv[i + 1].n && argv[i + 1].p[0] != '-') i++;
        continue;
      }
      v->count[k]++;
      if (!OPTS[k].is_string) {
        v->flag[k] = !negated && !(has_val && str_eq(val, "false"));
        continue;
      }
      /* yargs reads --no-header as a header `false`, which the Node CLI counts as one given. */
      if (negated && k == K_HEADER) continue;
      if (!has_val) {
        if (k == K_WATCH) {
          if (i + 1 < argc && argv[i + 1].n && argv[i + 1].p[0] >= '0' && argv[i + 1].p[0] <= '9') val = argv[++i];
          v->value[k] = val;
          continue;
        }
        if (i + 1 >= argc || (argv[i + 1].n && argv[i + 1].p[0] == '-' && argv[i + 1].n > 1))
          return fail(F_USAGE, "Not enough arguments following: %s (see healthsock --help)", OPTS[k].name);
        val = argv[++i];
      }
      v->value[k] = val;
      continue;
    }
    if (a.n >= 2 && a.p[0] == '-' && !(a.p[1] >= '0' && a.p[1] <= '9')) {
      for (size_t j = 1; j < a.n; j++) {
        int k = find_short(a.p[j]);
        if (k < 0) {
          add_unknown(v, (str){a.p + j, 1});
          continue;
        }
        v->count[k]++;
        if (!OPTS[k].is_string) {
          v->flag[k] = true;
          continue;
        }
        if (j + 1 < a.n) {
          str val = {a.p + j + 1, a.n - j - 1};
          if (val.p[0] == '=') val.p++, val.n--;
          v->value[k] = val;
          break;
        }
        if (i + 1 >= argc || (argv[i + 1].n && argv[i + 1].p[0] == '-' && argv[i + 1].n > 1))
          return fail(F_USAGE, "Not enough arguments following: %s (see healthsock --help)", OPTS[k].alias);
        v->value[k] = argv[++i];
      }
      continue;
    }
    if (v->npos < MAX_POS) v->pos[v->npos++] = a;
  }
  return 0;
}

/* The plain command line: each option at most once as `--name value`, no empty argument. */
static bool plain(int argc, str *argv, values *v) {
  for (int i = 0; i < argc; i++) {
    str a = argv[i];
    if (a.n == 0) return false;
    if (a.p[0] != '-') {
      if (v->npos >= 2) return false;
      v->pos[v->npos++] = a;
      continue;
    }
    int k = -1;
    if (a.n == 2) k = find_short(a.p[1]);
    else if (a.n > 2 && a.p[1] == '-') k = find_long((str){a.p + 2, a.n - 2});
    if (k < 0 || k >= K_WATCH || (a.n > 2 && OPTS[k].camel && str_eq((str){a.p + 2, a.n - 2}, OPTS[k].camel)))
      return false;
    if (v->count[k]++) return false;
    if (!OPTS[k].is_string) {
      v->flag[k] = true;
      continue;
    }
    if (i + 1 >= argc || argv[i + 1].n == 0 || argv[i + 1].p[0] == '-') return false;
    v->value[k] = argv[++i];
  }
  return true;
}

/* TARGET_LIKE: an argument that can only be a target, never a misspelt probe. */
static bool target_like(str a) {
  if (a.n == 0) return false;
  if (a.p[0] == '/' || a.p[0] == '@' || a.p[0] == '.') return true;
  char c = a.p[0];
  if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  for (size_t i = 1; i < a.n; i++) {
    c = a.p[i];
    if (c == ':') return true;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '.' ||
          c == '-'))
      return false;
  }
  return false;
}

static int probe_index(str s) {
  if (str_eq(s, "liveness")) return PROBE_LIVENESS;
  if (str_eq(s, "readiness")) return PROBE_READINESS;
  if (str_eq(s, "startup")) return PROBE_STARTUP;
  return -1;
}

int parse_args(int argc, str *argv, str env_socket, options *o, const char **print) {
  static values v;
  memset(&v, 0, sizeof v);
  memset(o, 0, sizeof *o);
  /* --watch is taken out first, so the rest reads as a one-shot probe's command line. */
  static str rest[4096];
  int nrest = 0;
  bool watch = false;
  str interval = {0, 0};
  for (int i = 0; i < argc; i++) {
    if (!str_eq(argv[i], "--watch") && !str_starts(argv[i], "--watch=")) {
      if (nrest < (int)(sizeof rest / sizeof rest[0])) rest[nrest++] = argv[i];
      continue;
    }
    if (watch) return fail(F_USAGE, "give --watch once (see healthsock --help)"), ARGS_FAIL;
    watch = true;
    if (str_starts(argv[i], "--watch=")) interval = (str){argv[i].p + 8, argv[i].n - 8};
    else if (i + 1 < argc && argv[i + 1].n && argv[i + 1].p[0] >= '0' && argv[i + 1].p[0] <= '9')
      interval = argv[++i];
  }
  if (watch) {
    o->watch_ms = 1000;
    if (interval.p) {
      if (parse_duration("--watch", interval, HS_MAX_DEADLINE_MS, &o->watch_ms)) return ARGS_FAIL;
      if (o->watch_ms < 100) return fail(F_USAGE, "--watch %Q is shorter than 100ms", interval), ARGS_FAIL;
    }
  }
  if (!plain(nrest, rest, &v)) {
    memset(&v, 0, sizeof v);
    if (read_values(nrest, rest, &v)) return ARGS_FAIL;
    if (v.flag[K_HELP]) return *print = hs_help_text, ARGS_PRINT;
    if (v.flag[K_VERSION]) return *print = HS_VERSION " (native, " HS_ARCH ")", ARGS_PRINT;
    if (v.nunknown) {
      static char mem[8192];
      sbuf b;
      sb_init(&b, mem, sizeof mem);
      sb_cstr(&b, v.nunknown == 1 ? "Unknown argument: " : "Unknown arguments: ");
      for (int i = 0; i < v.nunknown; i++) sb_fmt(&b, "%s%S", i ? ", " : "", v.unknown[i]);
      return fail(F_USAGE, "%S (see healthsock --help)", sb_as_str(&b)), ARGS_FAIL;
    }
    /* yargs makes a repeated option a list; each of these takes one value. */
    for (int k = K_SOCKET; k <= K_MAX_AGE; k++)
      if (v.count[k] > 1)
        return fail(F_USAGE, "--%s is given %d times; give it once (see healthsock --help)", OPTS[k].name, v.count[k]),
               ARGS_FAIL;
  }
  o->json = v.flag[K_JSON];
  o->verbose = v.flag[K_VERBOSE];
  o->quiet = v.flag[K_QUIET];
  o->nheaders = v.count[K_HEADER];
  if (v.npos > 2)
    return fail(F_USAGE, "unexpected argument %Q; expected [probe] [target] (see healthsock --help)", v.pos[2]),
           ARGS_FAIL;
  str probe = STR("liveness");
  str positional = {0, 0};
  bool has_positional = false;
  if (v.npos == 2) probe = v.pos[0], positional = v.pos[1], has_positional = true;
  else if (v.npos == 1 && (probe_index(v.pos[0]) >= 0 || (!target_like(v.pos[0]) && !host_port(v.pos[0]))))
    probe = v.pos[0];
  else if (v.npos == 1) positional = v.pos[0], has_positional = true;
  o->probe = probe_index(probe);
  o->probe_explicit = v.npos == 2 || (v.npos == 1 && !has_positional);
  if (o->probe < 0)
    return fail(F_USAGE, "unknown probe %Q; expected liveness, readiness, startup (see healthsock --help)", probe),
           ARGS_FAIL;
  str given[3];
  int ngiven = 0;
  if (has_positional) given[ngiven++] = positional;
  if (v.value[K_TARGET].p) given[ngiven++] = v.value[K_TARGET];
  if (v.value[K_SOCKET].p) given[ngiven++] = v.value[K_SOCKET];
  bool differ = false;
  for (int i = 1; i < ngiven; i++)
    for (int j = 0; j < i; j++)
      if (given[i].n != given[j].n || memcmp(given[i].p, given[j].p, given[i].n)) differ = true;
  if (differ) {
    static char mem[1 << 20];
    sbuf b;
    sb_init(&b, mem, sizeof mem);
    for (int i = 0; i < ngiven; i++) sb_fmt(&b, "%s%Q", i ? " and " : "", given[i]);
    return fail(F_USAGE, "give the target once, not %S (see healthsock --help)", sb_as_str(&b)), ARGS_FAIL;
  }
  o->target = ngiven ? given[0] : env_socket.n ? env_socket : STR(HS_DEFAULT_SOCKET);
  str timeout = v.value[K_TIMEOUT].p ? v.value[K_TIMEOUT] : STR("800ms");
  str max_age = v.value[K_MAX_AGE].p ? v.value[K_MAX_AGE] : STR("15s");
  if (parse_duration("--timeout", timeout, HS_MAX_DEADLINE_MS, &o->timeout_ms)) return ARGS_FAIL;
  if (parse_duration("--max-age", max_age, 7.0 * 24 * 3600000, &o->max_age_ms)) return ARGS_FAIL;
  return ARGS_PROBE;
}
