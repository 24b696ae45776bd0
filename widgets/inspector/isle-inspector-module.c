/* isle-inspector-module.c: Isle's page in GTK Inspector
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A GIO module in GTK's inspector module directory (gtk-4.0/4.0.0/inspector
 * under the library directory, or inspector/ under a directory of
 * GTK_PATH). GTK loads such modules when its Inspector opens, and shows
 * every type implementing the "gtk-inspector-page" extension point as a
 * page, titled by its "title" property, as libadwaita's page is. So
 * nothing of this is loaded before the Inspector opens, and only a program
 * that uses Isle gets the page.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "isle.h"

#define ISLE_TYPE_INSPECTOR_PAGE (isle_inspector_page_get_type ())

G_DECLARE_FINAL_TYPE (IsleInspectorPage, isle_inspector_page, ISLE, INSPECTOR_PAGE, GtkWidget)

struct _IsleInspectorPage
{
  GtkWidget  parent_instance;

  GtkWidget *inspector;
  GObject   *object;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_OBJECT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (IsleInspectorPage, isle_inspector_page, GTK_TYPE_WIDGET)

/* GTK Inspector hands every page the object selected in its object tree:
 * an island (or a widget inside one) shows that island's graph. */
static void
isle_inspector_page_set_object (IsleInspectorPage *self,
                                GObject           *object)
{
  GtkWidget *island = NULL;

  if (!g_set_object (&self->object, object))
    return;

  if (GTK_IS_WIDGET (object))
    island = ISLE_IS_ISLAND (object) ? GTK_WIDGET (object)
                                     : gtk_widget_get_ancestor (GTK_WIDGET (object), ISLE_TYPE_ISLAND);
  if (island != NULL)
    isle_inspector_set_island (ISLE_INSPECTOR (self->inspector), ISLE_ISLAND (island));

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OBJECT]);
}

static void
isle_inspector_page_dispose (GObject *object)
{
  IsleInspectorPage *self = ISLE_INSPECTOR_PAGE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->inspector = NULL;
  g_clear_object (&self->object);

  G_OBJECT_CLASS (isle_inspector_page_parent_class)->dispose (object);
}

static void
isle_inspector_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  IsleInspectorPage *self = ISLE_INSPECTOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      /* Translators: the title of Isle's page in GTK Inspector. */
      g_value_set_string (value, _("Isle"));
      break;

    case PROP_OBJECT:
      g_value_set_object (value, self->object);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_inspector_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  IsleInspectorPage *self = ISLE_INSPECTOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_OBJECT:
      isle_inspector_page_set_object (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_inspector_page_class_init (IsleInspectorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isle_inspector_page_dispose;
  object_class->get_property = isle_inspector_page_get_property;
  object_class->set_property = isle_inspector_page_set_property;

  props[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_OBJECT] =
    g_param_spec_object ("object", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
isle_inspector_page_init (IsleInspectorPage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->inspector = isle_inspector_new ();
  gtk_widget_set_margin_top (self->inspector, 12);
  gtk_widget_set_margin_bottom (self->inspector, 12);
  gtk_widget_set_margin_start (self->inspector, 12);
  gtk_widget_set_margin_end (self->inspector, 12);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->inspector);
  gtk_widget_set_parent (scrolled, GTK_WIDGET (self));
}

/* Whether this process uses Isle: some type of it exists. GTK loads the
 * module in any GTK program whose Inspector opens. */
static gboolean
process_uses_isle (void)
{
  return g_type_from_name ("IsleIsland") != 0 ||
         g_type_from_name ("IsleGraph") != 0 ||
         g_type_from_name ("IsleStore") != 0;
}

G_MODULE_EXPORT void
g_io_module_load (GIOModule *module)
{
  if (!process_uses_isle ())
    return;

  /* Our types are registered statically: the module stays loaded. */
  g_type_module_use (G_TYPE_MODULE (module));

  g_io_extension_point_implement ("gtk-inspector-page",
                                  ISLE_TYPE_INSPECTOR_PAGE,
                                  "isle",
                                  10);
}

G_MODULE_EXPORT void
g_io_module_unload (GIOModule *module)
{
}
