/* isle-task.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

void     isle_task_begin         (void);
void     isle_task_end           (void);
guint    isle_task_get_n_pending (void);
void     isle_task_wait_all      (GMainContext *context);
void     isle_task_clean         (void);

G_END_DECLS
