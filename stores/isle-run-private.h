/* isle-run-private.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The runs of the stores whose value comes from asynchronous work
 * (IsleResource, IsleAsyncDerived): each run is a GTask, counted as a
 * pending task (isle-task.c) until it ends; a newer run supersedes it;
 * the owner's "loading", "error" and "n-runs" properties follow them.
 * What differs between the owners (how the values are read and where
 * they go) stays in their own files. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _IsleRun IsleRun;

/* Called when the owner's loading flag changes, before it notifies. */
typedef void (*IsleRunnerLoadingFunc) (GObject  *owner,
                                       gboolean  loading);

/* The runs of one owner, embedded in its instance struct; used on the
 * owner's thread only. */
typedef struct
{
  IsleRun               *current;    /* the newest run, while it is pending */
  GError                *error;      /* of the last run that completed */
  guint                  n_runs;
  guint                  loading : 1;

  GParamSpec            *loading_pspec;
  GParamSpec            *error_pspec;
  GParamSpec            *n_runs_pspec;
  IsleRunnerLoadingFunc  loading_func;
} IsleRunner;

void      _isle_runner_init        (IsleRunner            *runner,
                                    GParamSpec            *loading_pspec,
                                    GParamSpec            *error_pspec,
                                    GParamSpec            *n_runs_pspec,
                                    IsleRunnerLoadingFunc  loading_func);
void      _isle_runner_clear       (IsleRunner            *runner);

GTask    *_isle_runner_start       (IsleRunner            *runner,
                                    GObject               *owner,
                                    GAsyncReadyCallback    done_cb,
                                    gpointer               source_tag,
                                    const char            *name);
void      _isle_runner_supersede   (IsleRunner            *runner,
                                    GCancellable          *cancellable);
void      _isle_runner_set_loading (IsleRunner            *runner,
                                    GObject               *owner,
                                    gboolean               loading);
void      _isle_runner_set_error   (IsleRunner            *runner,
                                    GObject               *owner,
                                    GError                *error);

gpointer  _isle_run_claim          (IsleRun               *run);
void      _isle_run_end            (IsleRun               *run);

G_END_DECLS
