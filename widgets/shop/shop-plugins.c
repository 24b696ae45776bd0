/* shop-plugins.c: the panes Isle Shop's plugins add
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <girepository.h>
#include <glib/gi18n.h>
#include <libpeas/peas.h>

#include "shop-plugins.h"

/*
 * ShopPlugins: loads the plugins of Isle Shop with libpeas (C, or Python
 * through libpeas's python3 loader) and mounts the panes they provide.
 * A plugin is an IslePaneProvider; its pane usually an island sharing the
 * registry's "cart" with the program's own panes.
 *
 * Plugins are looked for in each folder of $ISLE_SHOP_PLUGIN_PATH (meson
 * devenv and the tests set it), in $XDG_DATA_HOME/isle-shop/plugins, then
 * in the installed PLUGINDIR; a module found twice is taken from the
 * first folder.
 *
 * A plugin that does not load (a syntax error, a missing module, an
 * import that fails), provides no pane, or whose pane cannot be made is
 * replaced by an island in its error state, named after the plugin, with
 * the reason: shown in the window and in the inspector, and printed on
 * stderr. A pane whose own setup fails fails alone, as any island does.
 * The rest of the window goes on.
 *
 * GTK 3 and GTK 4 cannot share a process: before any plugin loads,
 * Gtk 4.0 is required in GObject introspection's repository, so a plugin
 * that asks for Gtk 3.0 (or for PeasGtk, which needs it) gets an import
 * error instead of loading GTK 3.
 *
 * Plugins run on the main thread: one that blocks in its module or its
 * setup blocks the window (libpeas has no timeout); see the README.
 */

struct _ShopPlugins
{
  GObject     parent_instance;

  PeasEngine *engine;
  GPtrArray  *panes;       /* of Pane, in plugin order */
};

/* One plugin's pane, mounted in every window: the first window takes the
 * pane made while loading (which shows whether the provider makes one),
 * each later window a new one from the provider, or a new error island
 * for a plugin that failed. */
typedef struct
{
  char      *placement;
  GtkWidget *widget;       /* the first pane, owned until mounted */
  GObject   *extension;    /* the provider, or NULL if the plugin failed */
  char      *name;         /* of the error island, if it failed */
  char      *message;      /* why it failed */
} Pane;

G_DEFINE_FINAL_TYPE (ShopPlugins, shop_plugins, G_TYPE_OBJECT)

static void
pane_free (gpointer data)
{
  Pane *pane = data;

  g_free (pane->placement);
  g_clear_object (&pane->widget);
  g_clear_object (&pane->extension);
  g_free (pane->name);
  g_free (pane->message);
  g_free (pane);
}

static Pane *
add_pane (ShopPlugins *self,
          const char  *placement,
          GtkWidget   *widget,
          GObject     *extension)
{
  Pane *pane = g_new0 (Pane, 1);

  pane->placement = g_strdup (placement != NULL ? placement : SHOP_PLUGIN_PLACEMENT_PRODUCTS);
  pane->widget = widget;
  pane->extension = extension;
  g_ptr_array_add (self->panes, pane);

  return pane;
}

/* An island in its error state, standing for a pane that is missing. */
static GtkWidget *
failed_island_new (const char *name,
                   const char *message)
{
  GtkWidget *island = g_object_new (ISLE_TYPE_ISLAND,
                                    "activation", ISLE_ACTIVATION_LOAD,
                                    "name", name,
                                    NULL);

  isle_island_fail (ISLE_ISLAND (island), message);

  return island;
}

/* The island that stands for a plugin that gave no pane. */
static void
add_failed (ShopPlugins    *self,
            PeasPluginInfo *info,
            const char     *reason)
{
  const char *module = peas_plugin_info_get_module_name (info);
  g_autofree char *name = g_strdup_printf ("plugin %s", module);
  /* Translators: why a plugin's pane is missing; the first %s is the
   * plugin's name, the second the technical reason. */
  g_autofree char *message = g_strdup_printf (_("The plugin “%s” could not be used: %s"),
                                              peas_plugin_info_get_name (info), reason);
  Pane *pane;

  g_printerr ("isle-shop: plugin “%s” (%s): %s\n", module,
              peas_plugin_info_get_module_dir (info), reason);
  pane = add_pane (self, NULL, g_object_ref_sink (failed_island_new (name, message)), NULL);
  pane->name = g_steal_pointer (&name);
  pane->message = g_steal_pointer (&message);
}

/* While a plugin loads, libpeas's loaders report why one fails only as
 * warnings (the python3 loader puts the traceback in one), and its
 * GError says just "Failed to load". So the warnings are caught here:
 * printed as they were, and their last line is the reason shown. */
static GString *load_messages;

static void
capture_log_cb (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
  if ((log_level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL)) != 0 &&
      (log_domain == NULL || g_str_equal (log_domain, "libpeas")))
    {
      g_printerr ("%s\n", message);
      g_string_append_printf (load_messages, "%s\n", message);
      return;
    }

  g_log_default_handler (log_domain, log_level, message, user_data);
}

/* The last line of a Python traceback ("SyntaxError: invalid syntax"),
 * or NULL. */
static char *
python_reason (const char *messages)
{
  g_auto(GStrv) lines = g_strsplit (messages, "\n", -1);
  const char *reason = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (*line == '\0' || g_ascii_isspace (*line) ||
          g_str_has_prefix (line, "Traceback") ||
          g_str_has_prefix (line, "During handling") ||
          g_str_has_prefix (line, "Error importing plugin") ||
          g_str_has_prefix (line, "Error loading plugin"))
        continue;
      reason = line;
    }

  return g_strdup (reason);
}

static gboolean
load_plugin (ShopPlugins     *self,
             PeasPluginInfo  *info,
             char           **reason)
{
  GLogFunc previous;
  gboolean loaded;

  load_messages = g_string_new (NULL);
  previous = g_log_set_default_handler (capture_log_cb, NULL);
  loaded = peas_engine_load_plugin (self->engine, info);
  g_log_set_default_handler (previous, NULL);

  *reason = loaded ? NULL : python_reason (load_messages->str);
  g_string_free (g_steal_pointer (&load_messages), TRUE);

  return loaded;
}

static void
load_one (ShopPlugins    *self,
          PeasPluginInfo *info)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) extension = NULL;
  g_autofree char *placement = NULL;
  g_autofree char *reason = NULL;
  GtkWidget *widget;

  if (!load_plugin (self, info, &reason))
    {
      if (reason != NULL)
        add_failed (self, info, reason);
      else if (!peas_plugin_info_is_available (info, &error) && error != NULL)
        add_failed (self, info, error->message);
      else
        /* Translators: the reason a plugin could not be used. */
        add_failed (self, info, _("it did not load (see the messages above)"));
      return;
    }

  if (!peas_engine_provides_extension (self->engine, info, ISLE_TYPE_PANE_PROVIDER))
    {
      /* Translators: the reason a plugin could not be used; keep “IslePaneProvider”. */
      add_failed (self, info, _("it provides no IslePaneProvider"));
      return;
    }

  extension = G_OBJECT (peas_engine_create_extension (self->engine, info,
                                                      ISLE_TYPE_PANE_PROVIDER, NULL));
  if (extension == NULL)
    {
      /* Translators: the reason a plugin could not be used; keep “IslePaneProvider”. */
      add_failed (self, info, _("its IslePaneProvider could not be made (see the messages above)"));
      return;
    }

  widget = isle_pane_provider_create_pane (ISLE_PANE_PROVIDER (extension));
  if (widget == NULL)
    {
      /* Translators: the reason a plugin could not be used; keep “create_pane ()”. */
      add_failed (self, info, _("its create_pane () gave no pane (see the messages above)"));
      return;
    }

  placement = isle_pane_provider_dup_placement (ISLE_PANE_PROVIDER (extension));
  if (placement != NULL &&
      g_strcmp0 (placement, SHOP_PLUGIN_PLACEMENT_PRODUCTS) != 0 &&
      g_strcmp0 (placement, SHOP_PLUGIN_PLACEMENT_CART) != 0)
    {
      g_printerr ("isle-shop: plugin “%s”: unknown placement “%s”, put below the products\n",
                  peas_plugin_info_get_module_name (info), placement);
      g_clear_pointer (&placement, g_free);
    }

  add_pane (self, placement, widget, g_steal_pointer (&extension));
}

static int
compare_modules (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (peas_plugin_info_get_module_name ((PeasPluginInfo *) a),
                    peas_plugin_info_get_module_name ((PeasPluginInfo *) b));
}

static void
add_search_path (ShopPlugins *self,
                 const char  *dir)
{
  if (dir != NULL && *dir != '\0')
    peas_engine_add_search_path (self->engine, dir, NULL);
}

static void
shop_plugins_load (ShopPlugins *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_dir = NULL;
  g_autoptr(GList) infos = NULL;
  const char *path = g_getenv ("ISLE_SHOP_PLUGIN_PATH");

  /* The guard against GTK 3 (see the top of this file). */
  if (g_irepository_require (NULL, "Gtk", "4.0", 0, &error) == NULL)
    {
      g_printerr ("isle-shop: plugins are off: %s\n", error->message);
      return;
    }

  self->engine = peas_engine_new_with_nonglobal_loaders ();
  peas_engine_enable_loader (self->engine, "python3");

  if (path != NULL)
    {
      g_auto(GStrv) dirs = g_strsplit (path, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        add_search_path (self, dirs[i]);
    }
  user_dir = g_build_filename (g_get_user_data_dir (), "isle-shop", "plugins", NULL);
  add_search_path (self, user_dir);
  add_search_path (self, PLUGINDIR);

  infos = g_list_sort (g_list_copy ((GList *) peas_engine_get_plugin_list (self->engine)),
                       compare_modules);
  for (GList *l = infos; l != NULL; l = l->next)
    if (!peas_plugin_info_is_hidden (l->data))
      load_one (self, l->data);
}

static void
shop_plugins_dispose (GObject *object)
{
  ShopPlugins *self = SHOP_PLUGINS (object);

  g_clear_pointer (&self->panes, g_ptr_array_unref);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (shop_plugins_parent_class)->dispose (object);
}

static void
shop_plugins_class_init (ShopPluginsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = shop_plugins_dispose;
}

static void
shop_plugins_init (ShopPlugins *self)
{
  self->panes = g_ptr_array_new_with_free_func (pane_free);
}

/**
 * shop_plugins_get_default:
 *
 * The plugins of this process, loaded the first time this is called (on
 * the main thread, with GTK initialised).
 *
 * Returns: (transfer none): the plugins
 */
ShopPlugins *
shop_plugins_get_default (void)
{
  static ShopPlugins *plugins;

  if (plugins == NULL)
    {
      plugins = g_object_new (SHOP_TYPE_PLUGINS, NULL);
      shop_plugins_load (plugins);
    }

  return plugins;
}

/**
 * shop_plugins_mount:
 * @self: the plugins
 * @placement: `products` or `cart`
 * @box: where the panes go
 *
 * Appends to @box the panes that asked for @placement (and the error
 * islands of plugins that failed, below the products). Each call mounts
 * new panes, so every window of the program has its own: the first takes
 * those made while the plugins loaded, later ones get new ones from the
 * providers. A provider that gives no pane for a later window is
 * replaced there by an error island.
 */
void
shop_plugins_mount (ShopPlugins *self,
                    const char  *placement,
                    GtkBox      *box)
{
  g_return_if_fail (SHOP_IS_PLUGINS (self));
  g_return_if_fail (GTK_IS_BOX (box));

  for (guint i = 0; i < self->panes->len; i++)
    {
      Pane *pane = g_ptr_array_index (self->panes, i);
      g_autoptr(GtkWidget) widget = NULL;

      if (g_strcmp0 (pane->placement, placement) != 0)
        continue;

      if (pane->widget != NULL)
        widget = g_steal_pointer (&pane->widget);
      else if (pane->extension != NULL)
        widget = isle_pane_provider_create_pane (ISLE_PANE_PROVIDER (pane->extension));
      else
        widget = g_object_ref_sink (failed_island_new (pane->name, pane->message));

      if (widget == NULL)
        {
          g_autofree char *name = g_strdup_printf ("plugin pane %u", i);

          /* Translators: the reason a plugin's pane is missing from a window. */
          widget = g_object_ref_sink (failed_island_new (name, _("its create_pane () gave no pane "
                                                                 "for this window")));
        }

      gtk_box_append (box, widget);
    }
}
