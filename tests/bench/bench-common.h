/* bench-common.h: what bench-engine and bench-atoms share
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The run configuration and its options, the state of the case that runs,
 * the clock, the statistics of the samples and the exit status. Each
 * benchmark includes this header once; its own Result, report () and fail ()
 * stay in it, since their output differs.
 */

#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#if defined(__SANITIZE_ADDRESS__)
# define BENCH_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define BENCH_ASAN 1
# endif
#endif

/* Run configuration. */
static gboolean quick = FALSE;
static int n_warmups = 2;
static int n_reps = 7;
static char **case_filters = NULL;
static char *impl_filter = NULL;   /* --impl: one side only (bench-atoms) */

/* The program (set by parse_options ()), the case that runs, the side
 * that runs it where there are several (bench-atoms), and what went wrong
 * in it. */
static const char *bench_program = NULL;
static const char *current_case = NULL;
static const char *current_impl = NULL;
static guint case_failures = 0;
static guint total_failures = 0;
static guint n_cases_run = 0;

/* The Result of each measured number, in the order of the runs. */
static GArray *results = NULL;

/* {{{ Options */

/* Parses the options of a benchmark into the run configuration; --list sets
 * @list. On an error, prints it after @program and returns FALSE. */
static inline gboolean
parse_options (int          *argc,
               char       ***argv,
               const char   *program,
               const char   *parameter_string,
               gboolean     *list)
{
  GOptionEntry entries[] = {
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, "Tiny repetition counts: check values only", NULL },
    { "reps", 'r', 0, G_OPTION_ARG_INT, &n_reps, "Timed repetitions per case (default 7, at least 5)", "N" },
    { "list", 'l', 0, G_OPTION_ARG_NONE, list, "List the cases", NULL },
    { "impl", 0, 0, G_OPTION_ARG_STRING, &impl_filter, "Run only this implementation (where there are several)", "NAME" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &case_filters, NULL, "[CASE…]" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  bench_program = program;
  context = g_option_context_new (parameter_string);
  g_option_context_set_summary (context,
                                "Runs the cases whose name contains one of the CASE strings (all by default).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "%s: %s\n", program, error->message);
      return FALSE;
    }

  return TRUE;
}

/* --quick runs every case once after one warm-up; otherwise --reps must
 * leave enough repetitions for a median. On an error, prints it after
 * @program and returns FALSE. */
static inline gboolean
check_reps (const char *program)
{
  if (quick)
    {
      n_warmups = 1;
      n_reps = 1;
    }
  else if (n_reps < 5)
    {
      fprintf (stderr, "%s: --reps must be at least 5\n", program);
      return FALSE;
    }

  return TRUE;
}

static inline gboolean
case_selected (const char *name)
{
  guint i;

  if (case_filters == NULL || case_filters[0] == NULL)
    return TRUE;

  for (i = 0; case_filters[i] != NULL; i++)
    {
      const char *filter = case_filters[i];
      size_t len = strlen (filter);

      /* "name$": the name ends with it (atom_broadcast_N1$ is N = 1 only). */
      if (len > 1 && filter[len - 1] == '$')
        {
          size_t name_len = strlen (name);

          if (name_len >= len - 1 && strncmp (name + name_len - (len - 1), filter, len - 1) == 0)
            return TRUE;
        }
      else if (strstr (name, filter) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* }}} */

/* {{{ Timing and statistics */

static inline gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static inline int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts the @n @samples, and gives their median, min and max. */
static inline void
summarize_samples (double *samples,
                   int     n,
                   double *median,
                   double *min,
                   double *max)
{
  qsort (samples, n, sizeof (double), compare_doubles);
  *min = samples[0];
  *max = samples[n - 1];
  *median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

/* }}} */

/* {{{ Checks */

/* Stands for real work: 100 additions on a volatile int, which the
 * compiler can neither fold nor remove. */
static volatile int busy_acc = 0;

static G_GNUC_UNUSED void
busy (void)
{
  for (int i = 0; i < 100; i++)
    busy_acc += i;
}

static void fail (const char *format,
                  ...) G_GNUC_PRINTF (1, 2);

/* Counts a failed check of the current case and prints it. */
static void
fail (const char *format,
      ...)
{
  va_list args;

  case_failures++;
  total_failures++;

  /* One wrong step usually makes every later check fail as well. */
  if (case_failures > 5)
    return;

  va_start (args, format);
  if (current_impl != NULL)
    fprintf (stderr, "%s: %s (%s): FAIL: ", bench_program, current_case, current_impl);
  else
    fprintf (stderr, "%s: %s: FAIL: ", bench_program, current_case);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
}

/* Checks an integer; formats the message only when the check fails. */
#define EXPECT_INT(got, want, ...)                                       \
  G_STMT_START {                                                         \
    long expect_got_ = (long) (got);                                     \
    long expect_want_ = (long) (want);                                   \
    if (G_UNLIKELY (expect_got_ != expect_want_))                        \
      {                                                                  \
        char *expect_what_ = g_strdup_printf (__VA_ARGS__);              \
        fail ("%s: got %ld, expected %ld",                               \
              expect_what_, expect_got_, expect_want_);                  \
        g_free (expect_what_);                                           \
      }                                                                  \
  } G_STMT_END

/* }}} */

/* The exit status of a run: 2 if no case matched, 1 if a check failed
 * (@failure says what that means), else 0. Prints why after @program. */
static inline int
exit_status (const char *program,
             const char *failure)
{
  if (n_cases_run == 0)
    {
      fprintf (stderr, "%s: no case matches\n", program);
      return 2;
    }

  if (total_failures > 0)
    {
      fprintf (stderr, "%s: %u check(s) failed: %s\n", program, total_failures, failure);
      return 1;
    }

  if (quick)
    printf ("%s: all checks passed (%u cases)\n", program, n_cases_run);

  return 0;
}
