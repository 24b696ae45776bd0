/* isle-inspector.c: a devtools widget for stores, islands and their graphs
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "isle-inspector.h"

/**
 * IsleInspector:
 *
 * A devtools widget any program can embed: what Isle does, live.
 *
 * It shows four lists, filtered by the name typed at its top:
 *
 * - every store of a registry ([property@Isle.Inspector:registry], the
 *   default one unless set) with its value, its number of listeners,
 *   whether it is started and its version, updated as they change;
 * - every island of every window, with its phase, its activation, the
 *   size of its graph and its error, if it failed;
 * - the nodes and dependency edges of the island selected in that list
 *   ([property@Isle.Inspector:island]), each node with its value and why
 *   it last ran;
 * - the recent events of every graph and store, with the why of each
 *   effect run (see [func@Isle.inspect_add_observer]).
 *
 * It observes the engine only while it is mapped: a program that does
 * not show it pays nothing.
 *
 * ```c
 * GtkWidget *window = gtk_window_new ();
 *
 * gtk_window_set_child (GTK_WINDOW (window), isle_inspector_new ());
 * gtk_window_present (GTK_WINDOW (window));
 * ```
 *
 * The same widget is a page of GTK Inspector (Ctrl+Shift+D) in every
 * program that uses Isle.
 *
 * Since: 1.0
 */

/* The log keeps this many events, the newest first. */
#define MAX_EVENTS 200

/* While mapped, what has no notification of its own (graph sizes, the
 * islands of the windows) is looked at again this often. */
#define REFRESH_INTERVAL_MS 500

/* One island in the list: the island (weakly) and what the row shows. */
#define ISLE_TYPE_INSPECTOR_ISLAND (_isle_inspector_island_get_type ())

G_DECLARE_FINAL_TYPE (IsleInspectorIsland, _isle_inspector_island, ISLE, INSPECTOR_ISLAND, GObject)

struct _IsleInspectorIsland
{
  GObject  parent_instance;

  GWeakRef island;
  char    *name;
  char    *text;
  char    *error;
};

enum {
  ISLAND_PROP_0,
  ISLAND_PROP_NAME,
  ISLAND_PROP_TEXT,
  ISLAND_PROP_ERROR,
  N_ISLAND_PROPS
};

static GParamSpec *island_props[N_ISLAND_PROPS];

G_DEFINE_FINAL_TYPE (IsleInspectorIsland, _isle_inspector_island, G_TYPE_OBJECT)

static void
island_item_finalize (GObject *object)
{
  IsleInspectorIsland *self = ISLE_INSPECTOR_ISLAND (object);

  g_weak_ref_clear (&self->island);
  g_free (self->name);
  g_free (self->text);
  g_free (self->error);

  G_OBJECT_CLASS (_isle_inspector_island_parent_class)->finalize (object);
}

static void
island_item_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  IsleInspectorIsland *self = ISLE_INSPECTOR_ISLAND (object);

  switch (prop_id)
    {
    case ISLAND_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case ISLAND_PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case ISLAND_PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
_isle_inspector_island_class_init (IsleInspectorIslandClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = island_item_finalize;
  object_class->get_property = island_item_get_property;

  island_props[ISLAND_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  island_props[ISLAND_PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  island_props[ISLAND_PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_ISLAND_PROPS, island_props);
}

static void
_isle_inspector_island_init (IsleInspectorIsland *self)
{
  g_weak_ref_init (&self->island, NULL);
}

static void
island_item_set_string (IsleInspectorIsland  *self,
                        char                **field,
                        const char           *value,
                        guint                 prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), island_props[prop]);
}

static const char *
phase_name (IsleIslandPhase phase)
{
  switch (phase)
    {
    case ISLE_ISLAND_PHASE_WAITING:
      return _("waiting");
    case ISLE_ISLAND_PHASE_LOADING:
      return _("loading");
    case ISLE_ISLAND_PHASE_ACTIVE:
      return _("active");
    case ISLE_ISLAND_PHASE_FAILED:
      return _("failed");
    default:
      return "?";
    }
}

static const char *
activation_name (IsleActivation activation)
{
  switch (activation)
    {
    case ISLE_ACTIVATION_LOAD:
      /* Translators: an island's activation mode: set up when constructed. */
      return _("on load");
    case ISLE_ACTIVATION_IDLE:
      /* Translators: an island's activation mode: set up at the next idle. */
      return _("when idle");
    case ISLE_ACTIVATION_VISIBLE:
      /* Translators: an island's activation mode: set up when first shown. */
      return _("when visible");
    case ISLE_ACTIVATION_WHEN:
      /* Translators: an island's activation mode: set up when a condition holds. */
      return _("when its condition holds");
    default:
      return "?";
    }
}

static void
island_item_update (IsleInspectorIsland *self,
                    IsleIsland          *island)
{
  IsleGraph *graph = isle_island_get_graph (island);
  guint n_nodes = graph != NULL ? isle_graph_get_n_nodes (graph) : 0;
  const GError *error = isle_island_get_error (island);
  const char *name = gtk_widget_get_name (GTK_WIDGET (island));
  g_autofree char *text = NULL;

  text = g_strdup_printf (/* Translators: one island in the inspector: its
                           * name, its phase, its activation mode, and the
                           * number of nodes in its graph. */
                          ngettext ("%s: %s, %s, %u node", "%s: %s, %s, %u nodes", n_nodes),
                          name,
                          phase_name (isle_island_get_phase (island)),
                          activation_name (isle_island_get_activation (island)),
                          n_nodes);

  island_item_set_string (self, &self->name, name, ISLAND_PROP_NAME);
  island_item_set_string (self, &self->text, text, ISLAND_PROP_TEXT);
  island_item_set_string (self, &self->error, error != NULL ? error->message : NULL,
                          ISLAND_PROP_ERROR);
}

static IsleInspectorIsland *
island_item_new (IsleIsland *island)
{
  IsleInspectorIsland *self = g_object_new (ISLE_TYPE_INSPECTOR_ISLAND, NULL);

  g_weak_ref_set (&self->island, island);
  island_item_update (self, island);

  return self;
}

/* The observer's end: events may come from any thread, in the middle of
 * the engine's work. They are queued here and taken into the log from an
 * idle on the main context; the inspector may be gone by then. */
typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  GQueue           queue;      /* IsleInspectEvent, under the lock */
  guint            idle_id;    /* under the lock */
  IsleInspector   *inspector;  /* main thread only; NULL once it let go */
} Sink;

struct _IsleInspector
{
  GtkWidget           parent_instance;

  GtkSearchEntry     *filter_entry;
  GtkColumnView      *stores_view;
  GtkListBox         *islands_list;
  GtkLabel           *graph_heading;
  GtkListBox         *graph_list;
  GtkListView        *events_view;

  IsleRegistry       *registry;
  char               *filter;
  GtkFilterListModel *stores_model;
  GtkStringFilter    *stores_filter;
  GListStore         *islands;       /* IsleInspectorIsland */
  GtkStringFilter    *islands_filter;
  GListStore         *events;        /* IsleInspectEvent, newest first */
  GtkCustomFilter    *events_filter;
  GtkStringList      *graph_rows;
  GWeakRef            island;        /* the one whose graph is shown */
  guint               n_events;

  Sink               *sink;
  guint               observer;
  guint               refresh_id;
  guint               selecting : 1;
  guint               syncing_entry : 1;
};

enum {
  PROP_0,
  PROP_REGISTRY,
  PROP_FILTER,
  PROP_ISLAND,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (IsleInspector, isle_inspector, GTK_TYPE_WIDGET)

/* Events {{{ */

static Sink *
sink_ref (Sink *sink)
{
  g_atomic_ref_count_inc (&sink->ref_count);

  return sink;
}

static void
sink_unref (gpointer data)
{
  Sink *sink = data;

  if (!g_atomic_ref_count_dec (&sink->ref_count))
    return;

  g_queue_clear_full (&sink->queue, g_object_unref);
  g_mutex_clear (&sink->lock);
  g_free (sink);
}

static void isle_inspector_take_events (IsleInspector *self,
                                        GQueue        *events);

static gboolean
sink_drain_cb (gpointer user_data)
{
  Sink *sink = user_data;
  GQueue events = G_QUEUE_INIT;

  g_mutex_lock (&sink->lock);
  events = sink->queue;
  g_queue_init (&sink->queue);
  sink->idle_id = 0;
  g_mutex_unlock (&sink->lock);

  if (sink->inspector != NULL)
    isle_inspector_take_events (sink->inspector, &events);

  g_queue_clear_full (&events, g_object_unref);

  return G_SOURCE_REMOVE;
}

static void
sink_event_cb (IsleInspectEvent *event,
               gpointer          user_data)
{
  Sink *sink = user_data;

  g_mutex_lock (&sink->lock);
  g_queue_push_tail (&sink->queue, g_object_ref (event));
  /* A flood (a loop, a big batch) keeps only what the log can show. */
  while (sink->queue.length > MAX_EVENTS)
    g_object_unref (g_queue_pop_head (&sink->queue));
  if (sink->idle_id == 0)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, sink_drain_cb, sink_ref (sink), sink_unref);
      g_source_set_static_name (source, "[isle] inspector events");
      sink->idle_id = g_source_attach (source, NULL);
      g_source_unref (source);
    }
  g_mutex_unlock (&sink->lock);
}

static gboolean
event_matches (IsleInspectEvent *event,
               const char       *filter)
{
  const char *label = isle_inspect_event_get_label (event);
  g_autofree char *folded_label = NULL;
  g_autofree char *folded_filter = NULL;

  if (filter == NULL || filter[0] == '\0')
    return TRUE;

  folded_label = g_utf8_casefold (label != NULL ? label : "", -1);
  folded_filter = g_utf8_casefold (filter, -1);

  return strstr (folded_label, folded_filter) != NULL;
}

static gboolean
event_filter_cb (gpointer item,
                 gpointer user_data)
{
  IsleInspector *self = user_data;

  return event_matches (item, self->filter);
}

static void
isle_inspector_take_events (IsleInspector *self,
                            GQueue        *events)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  guint n_new = events->length;
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  guint n_kept;

  if (n_new == 0)
    return;

  /* The newest first: the log's top is what just happened. */
  for (GList *l = events->tail; l != NULL && added->len < MAX_EVENTS; l = l->prev)
    g_ptr_array_add (added, l->data);

  self->n_events += n_new;
  n_kept = MIN (n_items, MAX_EVENTS - added->len);
  if (n_kept < n_items)
    g_list_store_splice (self->events, n_kept, n_items - n_kept, NULL, 0);
  g_list_store_splice (self->events, 0, 0, added->pdata, added->len);

  /* What an event changed (a value, a phase) shows at once. */
  isle_inspector_refresh (self);
}

static void
event_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_list_item_set_child (item, label);
}

static void
event_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  IsleInspectEvent *event = gtk_list_item_get_item (item);
  g_autofree char *text = isle_inspect_event_to_string (event);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

/* }}} */

/* Stores {{{ */

static char *
store_value_text_cb (GtkListItem *item,
                     GVariant    *value,
                     gpointer     user_data)
{
  return value != NULL ? g_variant_print (value, FALSE) : g_strdup ("");
}

static char *
store_listeners_text_cb (GtkListItem *item,
                         guint        n_listeners,
                         gpointer     user_data)
{
  return g_strdup_printf ("%u", n_listeners);
}

static char *
store_version_text_cb (GtkListItem *item,
                       IsleStore   *store,
                       GVariant    *value,
                       gpointer     user_data)
{
  return store != NULL ? g_strdup_printf ("%" G_GUINT64_FORMAT, isle_store_get_version (store))
                       : g_strdup ("");
}

static char *
store_started_text_cb (GtkListItem *item,
                       gboolean     started,
                       gpointer     user_data)
{
  /* Translators: whether a store is started (it has listeners), in the
   * inspector's list of stores. */
  return g_strdup (started ? _("started") : _("stopped"));
}

/* A column whose label shows a property of the row's store, as text, and
 * follows its changes (a property expression watches notify::). */
static void
add_store_column (IsleInspector *self,
                  const char    *title,
                  const char    *property,
                  GCallback      to_text,
                  gboolean       expand)
{
  g_autoptr(GtkBuilderScope) scope = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *ui = NULL;

  /* The cell: a label bound to item → store → property → text. The
   * version has no property of its own: it is read again whenever the
   * value changes. */
  if (g_str_equal (property, "version"))
    ui = g_strdup ("<interface><template class=\"GtkListItem\"><property name=\"child\">"
                   "<object class=\"GtkLabel\"><property name=\"xalign\">0</property>"
                   "<binding name=\"label\"><closure type=\"gchararray\" function=\"to_text\">"
                   "<lookup name=\"item\">GtkListItem</lookup>"
                   "<lookup name=\"value\" type=\"IsleStore\">"
                   "<lookup name=\"item\">GtkListItem</lookup></lookup></closure></binding>"
                   "</object></property></template></interface>");
  else if (to_text == NULL)
    ui = g_strdup_printf ("<interface><template class=\"GtkListItem\"><property name=\"child\">"
                          "<object class=\"GtkLabel\"><property name=\"xalign\">0</property>"
                          "<property name=\"ellipsize\">end</property>"
                          "<binding name=\"label\"><lookup name=\"%s\" type=\"IsleStore\">"
                          "<lookup name=\"item\">GtkListItem</lookup></lookup></binding>"
                          "</object></property></template></interface>", property);
  else
    ui = g_strdup_printf ("<interface><template class=\"GtkListItem\"><property name=\"child\">"
                          "<object class=\"GtkLabel\"><property name=\"xalign\">0</property>"
                          "<property name=\"wrap\">True</property>"
                          "<property name=\"wrap-mode\">word-char</property>"
                          "<binding name=\"label\"><closure type=\"gchararray\" function=\"to_text\">"
                          "<lookup name=\"%s\" type=\"IsleStore\">"
                          "<lookup name=\"item\">GtkListItem</lookup></lookup></closure></binding>"
                          "</object></property></template></interface>", property);

  scope = gtk_builder_cscope_new ();
  if (to_text != NULL)
    gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope), "to_text", to_text);

  bytes = g_bytes_new (ui, strlen (ui));
  factory = gtk_builder_list_item_factory_new_from_bytes (scope, bytes);
  column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->stores_view, column);
}

static void
isle_inspector_set_model (IsleInspector *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_filter_list_model_set_model (self->stores_model,
                                   self->registry != NULL ? G_LIST_MODEL (self->registry) : NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->stores_model)));
  gtk_column_view_set_model (self->stores_view, GTK_SELECTION_MODEL (selection));
}

/* }}} */

/* Islands and the graph {{{ */

static void
collect_islands (GtkWidget *widget,
                 GPtrArray *islands)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ISLE_IS_ISLAND (child))
        g_ptr_array_add (islands, child);
      collect_islands (child, islands);
    }
}

static gboolean
string_to_visible (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_set_boolean (to, text != NULL && text[0] != '\0');

  return TRUE;
}

static GtkWidget *
island_row_new (gpointer item,
                gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *error = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (text, "monospace");
  g_object_bind_property (item, "text", text, "label", G_BINDING_SYNC_CREATE);

  /* Wrapped: an error message can be long, and the inspector must not
   * ask for more than its own width. */
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (error), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (error, "error");
  g_object_bind_property (item, "error", error, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (item, "error", error, "visible", G_BINDING_SYNC_CREATE,
                               string_to_visible, NULL, NULL, NULL);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), error);

  return box;
}

static GtkWidget *
graph_row_new (gpointer item,
               gpointer user_data)
{
  GtkWidget *label = gtk_label_new (gtk_string_object_get_string (item));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);

  return label;
}

static const char *
label_of (GHashTable *labels,
          guint64     id)
{
  const char *label = g_hash_table_lookup (labels, (gpointer) (guintptr) id);

  return label != NULL ? label : "?";
}

/* The rows of the graph list: each node with its value (and why it last
 * ran), then each edge, dependency → dependent. */
static void
refresh_graph (IsleInspector *self)
{
  g_autoptr(IsleIsland) island = g_weak_ref_get (&self->island);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GListModel) nodes = NULL;
  g_autoptr(GHashTable) labels = NULL;
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->graph_rows));
  IsleGraph *graph;
  guint n_items;

  if (island == NULL || (graph = isle_island_get_graph (island)) == NULL)
    {
      gtk_string_list_splice (self->graph_rows, 0, n_rows, NULL);
      return;
    }

  nodes = isle_graph_inspect_nodes (graph);
  n_items = g_list_model_get_n_items (nodes);
  labels = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(IsleNodeInfo) info = g_list_model_get_item (nodes, i);
      const char *value = isle_node_info_get_value_text (info);
      g_autofree char *why = isle_node_info_dup_why_text (info);
      const char *error = isle_node_info_get_error (info);
      GString *row = g_string_new (isle_node_info_get_label (info));

      /* The list holds the infos, and so their labels. */
      g_hash_table_insert (labels, (gpointer) (guintptr) isle_node_info_get_id (info),
                           (gpointer) isle_node_info_get_label (info));

      if (value != NULL)
        g_string_append_printf (row, " = %s", value);
      if (isle_node_info_get_node_type (info) == ISLE_NODE_TYPE_EFFECT)
        g_string_append_printf (row,
                                /* Translators: how many times an effect ran. */
                                ngettext (", ran %u time", ", ran %u times",
                                          isle_node_info_get_run_count (info)),
                                isle_node_info_get_run_count (info));
      if (why != NULL)
        /* Translators: why a derived or an effect last ran: the chain of
         * changes that caused it. */
        g_string_append_printf (row, _(" (because %s)"), why);
      if (error != NULL)
        /* Translators: a node's failure, after its name. */
        g_string_append_printf (row, _(" — failed: %s"), error);
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(IsleNodeInfo) info = g_list_model_get_item (nodes, i);
      const guint64 *deps;
      guint n_deps;

      deps = isle_node_info_get_dependencies (info, &n_deps);
      for (guint j = 0; j < n_deps; j++)
        g_ptr_array_add (rows, g_strdup_printf ("%s → %s", label_of (labels, deps[j]),
                                                isle_node_info_get_label (info)));
    }

  /* Unchanged (the common case, twice a second): the rows stay. */
  if (rows->len == n_rows)
    {
      gboolean same = TRUE;

      for (guint i = 0; same && i < n_rows; i++)
        same = g_str_equal (rows->pdata[i], gtk_string_list_get_string (self->graph_rows, i));
      if (same)
        return;
    }

  g_ptr_array_add (rows, NULL);
  gtk_string_list_splice (self->graph_rows, 0, n_rows, (const char * const *) rows->pdata);
}

static void
refresh_islands (IsleInspector *self)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->islands));
  gboolean same = TRUE;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      collect_islands (window, found);
    }

  if (found->len != n_items)
    same = FALSE;

  for (guint i = 0; same && i < n_items; i++)
    {
      g_autoptr(IsleInspectorIsland) item = g_list_model_get_item (G_LIST_MODEL (self->islands), i);
      g_autoptr(IsleIsland) island = g_weak_ref_get (&item->island);

      same = island == g_ptr_array_index (found, i);
      if (same)
        island_item_update (item, island);
    }

  if (!same)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < found->len; i++)
        g_ptr_array_add (items, island_item_new (g_ptr_array_index (found, i)));

      self->selecting = TRUE;
      g_list_store_splice (self->islands, 0, n_items, items->pdata, items->len);
      self->selecting = FALSE;
    }
}

/**
 * isle_inspector_refresh:
 * @self: an inspector
 *
 * Looks again at what has no notification of its own: the islands of the
 * windows and the sizes of their graphs, and the graph of the selected
 * island. The inspector does this by itself while it is mapped, twice a
 * second and after every event; call it to see the result at once.
 *
 * Since: 1.0
 */
void
isle_inspector_refresh (IsleInspector *self)
{
  g_return_if_fail (ISLE_IS_INSPECTOR (self));

  refresh_islands (self);
  refresh_graph (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  isle_inspector_refresh (user_data);

  return G_SOURCE_CONTINUE;
}

static void
island_selected_cb (GtkListBox    *list,
                    GtkListBoxRow *row,
                    IsleInspector *self)
{
  g_autoptr(IsleInspectorIsland) item = NULL;
  g_autoptr(IsleIsland) island = NULL;

  /* Rebuilding the list unselects; the selection stays the island's. */
  if (self->selecting || row == NULL)
    return;

  item = g_list_model_get_item (G_LIST_MODEL (self->islands),
                                gtk_list_box_row_get_index (row));
  if (item != NULL)
    island = g_weak_ref_get (&item->island);
  isle_inspector_set_island (self, island);
}

/* }}} */

/* Filter {{{ */

static void
filter_changed_cb (GtkSearchEntry *entry,
                   IsleInspector  *self)
{
  if (self->syncing_entry)
    return;

  isle_inspector_set_filter (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* }}} */

/* GObject {{{ */

static void
isle_inspector_map (GtkWidget *widget)
{
  IsleInspector *self = ISLE_INSPECTOR (widget);

  GTK_WIDGET_CLASS (isle_inspector_parent_class)->map (widget);

  /* Observing costs the engine: only while someone can see it. */
  if (self->observer == 0)
    self->observer = isle_inspect_add_observer (sink_event_cb, sink_ref (self->sink), sink_unref);
  if (self->refresh_id == 0)
    {
      self->refresh_id = g_timeout_add (REFRESH_INTERVAL_MS, refresh_cb, self);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->refresh_id),
                                "[isle] inspector refresh");
    }

  isle_inspector_refresh (self);
}

static void
isle_inspector_unmap (GtkWidget *widget)
{
  IsleInspector *self = ISLE_INSPECTOR (widget);

  if (self->observer != 0)
    {
      isle_inspect_remove_observer (self->observer);
      self->observer = 0;
    }
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  GTK_WIDGET_CLASS (isle_inspector_parent_class)->unmap (widget);
}

static void
isle_inspector_dispose (GObject *object)
{
  IsleInspector *self = ISLE_INSPECTOR (object);
  GtkWidget *child;

  if (self->observer != 0)
    {
      isle_inspect_remove_observer (self->observer);
      self->observer = 0;
    }
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->sink != NULL)
    {
      self->sink->inspector = NULL;
      g_clear_pointer (&self->sink, sink_unref);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ISLE_TYPE_INSPECTOR);
  /* The template's unnamed children (headings, scrolled windows). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->registry);
  g_clear_object (&self->stores_model);
  g_clear_object (&self->stores_filter);
  g_clear_object (&self->islands);
  g_clear_object (&self->islands_filter);
  g_clear_object (&self->events);
  g_clear_object (&self->events_filter);
  g_clear_object (&self->graph_rows);
  g_weak_ref_set (&self->island, NULL);

  G_OBJECT_CLASS (isle_inspector_parent_class)->dispose (object);
}

static void
isle_inspector_finalize (GObject *object)
{
  IsleInspector *self = ISLE_INSPECTOR (object);

  g_weak_ref_clear (&self->island);
  g_free (self->filter);

  G_OBJECT_CLASS (isle_inspector_parent_class)->finalize (object);
}

static void
isle_inspector_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  IsleInspector *self = ISLE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, isle_inspector_get_registry (self));
      break;

    case PROP_FILTER:
      g_value_set_string (value, isle_inspector_get_filter (self));
      break;

    case PROP_ISLAND:
      g_value_take_object (value, g_weak_ref_get (&self->island));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_inspector_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  IsleInspector *self = ISLE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      isle_inspector_set_registry (self, g_value_get_object (value));
      break;

    case PROP_FILTER:
      isle_inspector_set_filter (self, g_value_get_string (value));
      break;

    case PROP_ISLAND:
      isle_inspector_set_island (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_inspector_class_init (IsleInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isle_inspector_dispose;
  object_class->finalize = isle_inspector_finalize;
  object_class->get_property = isle_inspector_get_property;
  object_class->set_property = isle_inspector_set_property;
  widget_class->map = isle_inspector_map;
  widget_class->unmap = isle_inspector_unmap;

  /**
   * IsleInspector:registry:
   *
   * The registry whose stores are listed; the default one
   * ([func@Isle.Registry.get_default]) unless set.
   *
   * Since: 1.0
   */
  props[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL,
                         ISLE_TYPE_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * IsleInspector:filter:
   *
   * What the lists are filtered by: only the stores, islands and events
   * whose name contains it (ignoring case) are shown. Empty or %NULL
   * shows everything. The entry at the top of the inspector sets it.
   *
   * Since: 1.0
   */
  props[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * IsleInspector:island:
   *
   * The island whose graph (nodes and edges) is shown; selecting an
   * island in the list sets it. The inspector does not keep it alive.
   *
   * Since: 1.0
   */
  props[PROP_ISLAND] =
    g_param_spec_object ("island", NULL, NULL,
                         ISLE_TYPE_ISLAND,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/isletoolkit/Isle/isle-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, IsleInspector, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, IsleInspector, stores_view);
  gtk_widget_class_bind_template_child (widget_class, IsleInspector, islands_list);
  gtk_widget_class_bind_template_child (widget_class, IsleInspector, graph_heading);
  gtk_widget_class_bind_template_child (widget_class, IsleInspector, graph_list);
  gtk_widget_class_bind_template_child (widget_class, IsleInspector, events_view);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, island_selected_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "isle-inspector");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
isle_inspector_init (IsleInspector *self)
{
  GtkLayoutManager *layout;
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) events_selection = NULL;
  g_autoptr(GtkFilterListModel) islands_model = NULL;
  g_autoptr(GtkFilterListModel) events_model = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Isle inspector"),
                                  -1);

  g_weak_ref_init (&self->island, NULL);
  self->sink = g_new0 (Sink, 1);
  g_atomic_ref_count_init (&self->sink->ref_count);
  g_mutex_init (&self->sink->lock);
  self->sink->inspector = self;

  /* Stores: the registry's own list model, filtered by name. */
  self->stores_filter = gtk_string_filter_new (gtk_property_expression_new (ISLE_TYPE_STORE, NULL, "name"));
  gtk_string_filter_set_match_mode (self->stores_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->stores_filter, TRUE);
  self->stores_model = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->stores_filter)));
  add_store_column (self, _("Name"), "name", NULL, FALSE);
  add_store_column (self, _("Value"), "value", G_CALLBACK (store_value_text_cb), TRUE);
  add_store_column (self, _("Listeners"), "n-listeners", G_CALLBACK (store_listeners_text_cb), FALSE);
  add_store_column (self, _("State"), "started", G_CALLBACK (store_started_text_cb), FALSE);
  /* Translators: a column of the inspector's list of stores: how many
   * changes a store has taken. */
  add_store_column (self, _("Version"), "version", G_CALLBACK (store_version_text_cb), FALSE);
  self->registry = g_object_ref (isle_registry_get_default ());
  isle_inspector_set_model (self);

  /* Islands. */
  self->islands = g_list_store_new (ISLE_TYPE_INSPECTOR_ISLAND);
  self->islands_filter = gtk_string_filter_new (gtk_property_expression_new (ISLE_TYPE_INSPECTOR_ISLAND, NULL, "name"));
  gtk_string_filter_set_match_mode (self->islands_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->islands_filter, TRUE);
  islands_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->islands)),
                                             GTK_FILTER (g_object_ref (self->islands_filter)));
  gtk_list_box_bind_model (self->islands_list, G_LIST_MODEL (islands_model),
                           island_row_new, self, NULL);

  /* The selected island's graph. */
  self->graph_rows = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->graph_list, G_LIST_MODEL (self->graph_rows),
                           graph_row_new, self, NULL);

  /* Events. */
  self->events = g_list_store_new (ISLE_TYPE_INSPECT_EVENT);
  self->events_filter = gtk_custom_filter_new (event_filter_cb, self, NULL);
  events_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->events)),
                                            GTK_FILTER (g_object_ref (self->events_filter)));
  events_selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&events_model)));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (event_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (event_bind_cb), self);
  gtk_list_view_set_factory (self->events_view, factory);
  gtk_list_view_set_model (self->events_view, GTK_SELECTION_MODEL (events_selection));
}

/* }}} */

/* Public API {{{ */

/**
 * isle_inspector_new:
 *
 * Creates an inspector of the default registry's stores and of every
 * island of the program's windows.
 *
 * Returns: (transfer floating): the inspector
 *
 * Since: 1.0
 */
GtkWidget *
isle_inspector_new (void)
{
  return g_object_new (ISLE_TYPE_INSPECTOR, NULL);
}

/**
 * isle_inspector_get_registry:
 * @self: an inspector
 *
 * Gets the registry whose stores are listed.
 *
 * Returns: (transfer none): the registry
 *
 * Since: 1.0
 */
IsleRegistry *
isle_inspector_get_registry (IsleInspector *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECTOR (self), NULL);

  return self->registry;
}

/**
 * isle_inspector_set_registry:
 * @self: an inspector
 * @registry: (nullable): a registry, or %NULL for the default one
 *
 * Sets the registry whose stores are listed.
 *
 * Since: 1.0
 */
void
isle_inspector_set_registry (IsleInspector *self,
                             IsleRegistry  *registry)
{
  g_return_if_fail (ISLE_IS_INSPECTOR (self));
  g_return_if_fail (registry == NULL || ISLE_IS_REGISTRY (registry));

  if (registry == NULL)
    registry = isle_registry_get_default ();

  if (!g_set_object (&self->registry, registry))
    return;

  isle_inspector_set_model (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REGISTRY]);
}

/**
 * isle_inspector_get_filter:
 * @self: an inspector
 *
 * Gets what the lists are filtered by.
 *
 * Returns: (nullable): the filter
 *
 * Since: 1.0
 */
const char *
isle_inspector_get_filter (IsleInspector *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECTOR (self), NULL);

  return self->filter;
}

/**
 * isle_inspector_set_filter:
 * @self: an inspector
 * @filter: (nullable): a part of a name, or %NULL for everything
 *
 * Shows only the stores, islands and events whose name contains @filter,
 * ignoring case.
 *
 * Since: 1.0
 */
void
isle_inspector_set_filter (IsleInspector *self,
                           const char    *filter)
{
  g_return_if_fail (ISLE_IS_INSPECTOR (self));

  if (filter != NULL && filter[0] == '\0')
    filter = NULL;

  if (g_strcmp0 (self->filter, filter) == 0)
    return;

  g_free (self->filter);
  self->filter = g_strdup (filter);

  gtk_string_filter_set_search (self->stores_filter, filter);
  gtk_string_filter_set_search (self->islands_filter, filter);
  gtk_filter_changed (GTK_FILTER (self->events_filter), GTK_FILTER_CHANGE_DIFFERENT);

  /* Setting the entry's text goes through an empty text, which the
   * entry announces at once: not a filter of its own. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)),
                 filter != NULL ? filter : "") != 0)
    {
      self->syncing_entry = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), filter != NULL ? filter : "");
      self->syncing_entry = FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILTER]);
}

/**
 * isle_inspector_get_island:
 * @self: an inspector
 *
 * Gets the island whose graph is shown.
 *
 * Returns: (transfer none) (nullable): the island
 *
 * Since: 1.0
 */
IsleIsland *
isle_inspector_get_island (IsleInspector *self)
{
  g_autoptr(IsleIsland) island = NULL;

  g_return_val_if_fail (ISLE_IS_INSPECTOR (self), NULL);

  /* The caller's widget tree holds it, if it is alive. */
  island = g_weak_ref_get (&self->island);

  return island;
}

/**
 * isle_inspector_set_island:
 * @self: an inspector
 * @island: (nullable): an island
 *
 * Shows the nodes and edges of @island's graph, each node with its value
 * and why it last ran.
 *
 * Since: 1.0
 */
void
isle_inspector_set_island (IsleInspector *self,
                           IsleIsland    *island)
{
  g_autoptr(IsleIsland) old = NULL;
  g_autofree char *heading = NULL;

  g_return_if_fail (ISLE_IS_INSPECTOR (self));
  g_return_if_fail (island == NULL || ISLE_IS_ISLAND (island));

  old = g_weak_ref_get (&self->island);
  if (old == island)
    return;

  g_weak_ref_set (&self->island, island);

  if (island != NULL)
    /* Translators: the heading of the graph of the selected island. */
    heading = g_strdup_printf (_("Graph of %s"), gtk_widget_get_name (GTK_WIDGET (island)));
  gtk_label_set_label (self->graph_heading, heading != NULL ? heading : _("Graph"));
  refresh_graph (self);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ISLAND]);
}

/**
 * isle_inspector_get_n_events:
 * @self: an inspector
 *
 * Gets how many events the inspector heard while it was mapped (its log
 * keeps the most recent ones).
 *
 * Returns: the number of events
 *
 * Since: 1.0
 */
guint
isle_inspector_get_n_events (IsleInspector *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECTOR (self), 0);

  return self->n_events;
}

/* }}} */

/* vim:set foldmethod=marker: */
