/* shop-cart-summary.c: the cart summary on the Cart page
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "shop-cart-summary.h"
#include "shop-cart.h"
#include "shop-format.h"

/* An island that lists the cart's lines, each an AdwActionRow with a
 * quantity stepper, the line's subtotal and a button to remove it, and the
 * total; an empty cart shows a status page. It knows only the catalogue
 * (read-only data) and the registry's "cart". A line of a product that left
 * the catalogue is kept and shown as no longer available, with its id and a
 * Remove button; the total leaves it out, as the badge's count does
 * (shop-cart.c). A change of quantities updates the rows in place (so the
 * stepper being used keeps the focus); only a change of which lines there
 * are rebuilds them. Removing a line emits ::removed, so that the window can
 * offer to undo it. */

static IsleState *
use_cart (IsleIsland *island)
{
  return isle_island_use_store (island, ISLE_STORE (shop_cart_get_map (shop_cart_get_default ())));
}

typedef struct
{
  char          *id;
  GtkWidget     *row;
  GtkSpinButton *spin;      /* NULL for a line no longer available */
  GtkLabel      *subtotal;
  GtkLabel      *count;     /* for a line no longer available */
  ShopProduct   *product;   /* (unowned): the catalogue outlives the rows */
} Line;

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->id);
  g_free (line);
}

struct _ShopCartSummary
{
  IsleIsland     parent_instance;

  ShopCatalogue *catalogue;
  IsleState     *cart;
  IsleDerived   *total;
  GtkListBox    *lines_box;
  GPtrArray     *lines;     /* (element-type Line): the rows, in order */
  GtkLabel      *total_label;
  GtkWidget     *empty;
  GtkWidget     *filled;
};

enum {
  SIGNAL_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ShopCartSummary, shop_cart_summary, ISLE_TYPE_ISLAND)

static gboolean
total_cb (IsleDerived  *derived,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  ShopCartSummary *self = user_data;

  g_value_set_double (value, shop_cart_total_of (isle_state_get_variant (self->cart), self->catalogue));
  return TRUE;
}

static void
remove_clicked_cb (GtkButton       *button,
                   ShopCartSummary *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "product-id");
  const char *name = g_object_get_data (G_OBJECT (button), "product-name");
  g_autofree char *saved_name = g_strdup (name);

  shop_cart_remove (shop_cart_get_default (), id);
  g_signal_emit (self, signals[SIGNAL_REMOVED], 0, saved_name);
}

/* The total is a writable derived: the stepper sets it at once to the
 * total of what the user asked for (an optimistic value, Svelte 5.25's
 * writable $derived), and the cart's own change, which recomputes it from
 * the cart, confirms it. With a cart mirrored from another process the
 * change comes back a little later; the total does not wait for it. */
static void
quantity_changed_cb (GtkSpinButton   *spin,
                     ShopCartSummary *self)
{
  const char *id = g_object_get_data (G_OBJECT (spin), "product-id");
  ShopProduct *product = shop_catalogue_lookup (self->catalogue, id);
  int quantity = gtk_spin_button_get_value_as_int (spin);
  int old_quantity = 0;

  if (product != NULL &&
      g_variant_lookup (isle_state_get_variant (self->cart), id, "i", &old_quantity))
    isle_derived_set_double (self->total,
                             isle_derived_get_double (self->total) +
                             shop_product_get_price (product) * (quantity - old_quantity));

  shop_cart_set_quantity (shop_cart_get_default (), id, quantity);
}

static GtkWidget *
remove_button_new (ShopCartSummary *self,
                   const char      *id,
                   const char      *name,
                   const char      *remove_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_name,
                                  -1);
  gtk_widget_set_tooltip_text (button, remove_name);
  g_object_set_data_full (G_OBJECT (button), "product-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (button), "product-name", g_strdup (name), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);

  return button;
}

static GtkWidget *
row_new (const char *title)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  return row;
}

/* A line the catalogue no longer knows: its id, no price. */
static Line *
unavailable_line_new (ShopCartSummary *self,
                      const char      *id)
{
  Line *line = g_new0 (Line, 1);
  g_autofree char *text = NULL;
  g_autofree char *remove_name = NULL;

  line->id = g_strdup (id);
  /* Translators: a line of the cart whose product (%s, its identifier)
   * left the catalogue: it is kept, but not counted nor priced. */
  text = g_strdup_printf (_("%s (no longer available)"), id);
  line->row = row_new (text);
  gtk_widget_add_css_class (line->row, "dim-label");

  line->count = GTK_LABEL (gtk_label_new (NULL));
  adw_action_row_add_suffix (ADW_ACTION_ROW (line->row), GTK_WIDGET (line->count));

  /* Translators: the accessible name of the button removing a product
   * that left the catalogue (%s, its identifier) from the cart. */
  remove_name = g_strdup_printf (_("Remove %s, no longer available"), id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (line->row), remove_button_new (self, id, id, remove_name));

  return line;
}

static Line *
line_new (ShopCartSummary *self,
          ShopProduct     *product)
{
  Line *line = g_new0 (Line, 1);
  const char *name = shop_product_get_name (product);
  g_autofree char *price = shop_format_price (shop_product_get_price (product));
  g_autofree char *each = NULL;
  g_autofree char *quantity_name = NULL;
  g_autofree char *remove_name = NULL;

  line->id = g_strdup (shop_product_get_id (product));
  line->product = product;
  line->row = row_new (name);
  /* Translators: the price of one of a product, under its name in the cart. */
  each = g_strdup_printf (_("%s each"), price);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (line->row), each);

  line->spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, SHOP_CART_MAX_QUANTITY, 1));
  gtk_spin_button_set_numeric (line->spin, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (line->spin), GTK_ALIGN_CENTER);
  /* Translators: the accessible name of the quantity stepper of a line of
   * the cart; %s is a product. */
  quantity_name = g_strdup_printf (_("Quantity of %s in the cart"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (line->spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, quantity_name,
                                  -1);
  g_object_set_data_full (G_OBJECT (line->spin), "product-id", g_strdup (line->id), g_free);
  adw_action_row_add_suffix (ADW_ACTION_ROW (line->row), GTK_WIDGET (line->spin));

  line->subtotal = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (line->subtotal), "price");
  gtk_label_set_width_chars (line->subtotal, 8);
  gtk_label_set_xalign (line->subtotal, 1.0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (line->row), GTK_WIDGET (line->subtotal));

  /* Translators: the accessible name of the button removing a product
   * (%s) from the cart. */
  remove_name = g_strdup_printf (_("Remove %s"), name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (line->row),
                             remove_button_new (self, line->id, name, remove_name));

  return line;
}

static void
line_update (ShopCartSummary *self,
             Line            *line,
             int              quantity)
{
  if (line->spin == NULL)
    {
      g_autofree char *count = g_strdup_printf ("%d ×", quantity);

      gtk_label_set_label (line->count, count);
    }
  else
    {
      g_autofree char *subtotal = shop_format_price (shop_product_get_price (line->product) * quantity);

      if (gtk_spin_button_get_value_as_int (line->spin) != quantity)
        {
          g_signal_handlers_block_by_func (line->spin, quantity_changed_cb, self);
          gtk_spin_button_set_value (line->spin, quantity);
          g_signal_handlers_unblock_by_func (line->spin, quantity_changed_cb, self);
        }
      gtk_label_set_label (line->subtotal, subtotal);
    }
}

static gboolean
show_lines_cb (IsleEffect  *effect,
               gpointer     user_data,
               GError     **error)
{
  ShopCartSummary *self = user_data;
  GVariant *cart = isle_state_get_variant (self->cart);
  g_auto(GStrv) unavailable = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean same;

  /* In catalogue order, not in the order things were added; then the
   * products the catalogue no longer has, by id. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->catalogue)); i++)
    {
      g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      int count = 0;

      if (!g_variant_lookup (cart, shop_product_get_id (product), "i", &count) || count <= 0)
        continue;

      g_ptr_array_add (ids, (gpointer) shop_product_get_id (product));
      g_array_append_val (counts, count);
    }

  unavailable = shop_cart_dup_unavailable (cart, self->catalogue);
  for (guint i = 0; unavailable[i] != NULL; i++)
    {
      int count = 0;

      g_variant_lookup (cart, unavailable[i], "i", &count);
      g_ptr_array_add (ids, unavailable[i]);
      g_array_append_val (counts, count);
    }

  same = ids->len == self->lines->len;
  for (guint i = 0; same && i < ids->len; i++)
    same = g_str_equal (g_ptr_array_index (ids, i), ((Line *) g_ptr_array_index (self->lines, i))->id);

  if (!same)
    {
      for (guint i = 0; i < self->lines->len; i++)
        gtk_list_box_remove (self->lines_box, ((Line *) g_ptr_array_index (self->lines, i))->row);
      g_ptr_array_set_size (self->lines, 0);

      for (guint i = 0; i < ids->len; i++)
        {
          const char *id = g_ptr_array_index (ids, i);
          ShopProduct *product = shop_catalogue_lookup (self->catalogue, id);
          Line *line = product != NULL ? line_new (self, product) : unavailable_line_new (self, id);

          g_ptr_array_add (self->lines, line);
          gtk_list_box_append (self->lines_box, line->row);
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);

      line_update (self, line, g_array_index (counts, int, i));
      /* Connected after the first update, which must not write back. */
      if (!same && line->spin != NULL)
        g_signal_connect (line->spin, "value-changed", G_CALLBACK (quantity_changed_cb), self);
    }

  gtk_widget_set_visible (self->empty, ids->len == 0);
  gtk_widget_set_visible (self->filled, ids->len > 0);

  return TRUE;
}

static gboolean
show_total_cb (IsleEffect  *effect,
               gpointer     user_data,
               GError     **error)
{
  ShopCartSummary *self = user_data;
  g_autofree char *price = shop_format_price (isle_derived_get_double (self->total));
  /* Translators: the total of the cart; %s is a price. */
  g_autofree char *text = g_strdup_printf (_("Total: %s"), price);

  gtk_label_set_label (self->total_label, text);
  return TRUE;
}

static void
shop_cart_summary_setup (IsleIsland *island)
{
  ShopCartSummary *self = SHOP_CART_SUMMARY (island);
  IsleGraph *graph = isle_island_get_graph (island);
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/isletoolkit/IsleShop/shop-cart-summary.ui");

  self->cart = use_cart (island);
  self->total = isle_derived_new (graph, G_TYPE_DOUBLE, total_cb, self, NULL);
  isle_derived_set_name (self->total, "total");

  self->empty = GTK_WIDGET (gtk_builder_get_object (builder, "summary_empty"));
  self->filled = GTK_WIDGET (gtk_builder_get_object (builder, "summary_filled"));
  self->lines_box = GTK_LIST_BOX (gtk_builder_get_object (builder, "summary_lines"));
  self->total_label = GTK_LABEL (gtk_builder_get_object (builder, "summary_total"));

  isle_effect_set_name (isle_effect_new (graph, show_lines_cb, self, NULL), "show lines");
  isle_effect_set_name (isle_effect_new (graph, show_total_cb, self, NULL), "show total");

  isle_island_set_child (island, GTK_WIDGET (gtk_builder_get_object (builder, "summary")));
}

static void
shop_cart_summary_dispose (GObject *object)
{
  ShopCartSummary *self = SHOP_CART_SUMMARY (object);

  G_OBJECT_CLASS (shop_cart_summary_parent_class)->dispose (object);

  g_clear_object (&self->catalogue);
}

static void
shop_cart_summary_finalize (GObject *object)
{
  ShopCartSummary *self = SHOP_CART_SUMMARY (object);

  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (shop_cart_summary_parent_class)->finalize (object);
}

static void
shop_cart_summary_class_init (ShopCartSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = shop_cart_summary_dispose;
  object_class->finalize = shop_cart_summary_finalize;
  ISLE_ISLAND_CLASS (klass)->setup = shop_cart_summary_setup;

  /*
   * ShopCartSummary::removed:
   * @name: the name of the product whose line was removed
   *
   * The user removed a line of the cart with its Remove button.
   */
  signals[SIGNAL_REMOVED] =
    g_signal_new ("removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
shop_cart_summary_init (ShopCartSummary *self)
{
  self->lines = g_ptr_array_new_with_free_func (line_free);
}

GtkWidget *
shop_cart_summary_new (ShopCatalogue  *catalogue,
                       IsleActivation  activation)
{
  ShopCartSummary *self;

  self = g_object_new (SHOP_TYPE_CART_SUMMARY,
                       "activation", ISLE_ACTIVATION_WHEN,
                       "name", "cart-summary",
                       NULL);
  self->catalogue = g_object_ref (catalogue);
  isle_island_set_activation (ISLE_ISLAND (self), activation);

  return GTK_WIDGET (self);
}
