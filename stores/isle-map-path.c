/* isle-map-path.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Deep keys of IsleMap: nanostores' `getPath` / `setPath` (deep-map/path.js)
 * over GVariant. A path is names separated by dots, each followed by any
 * number of `[N]` indices: `profile.name`, `items[2]`, `f[1][0].g`.
 *
 * - A name looks a key up in a dictionary of string keys; `[N]`, or a name
 *   made of digits only, indexes an array. Boxed values (“v”) are looked
 *   through on the way, and a “maybe” that holds nothing reads like
 *   JavaScript's `null`: nothing is below it.
 * - Setting copies each container on the way down (the values are
 *   immutable), so every level above the change is a new value and every
 *   sibling is the same one. A missing or `null` level is made: an array
 *   (“av”) if the next step is an index, else a dictionary (“a{sv}”).
 *   Setting past the end of an “av” fills the gap with `null`s
 *   (`<@mv nothing>`), where JavaScript leaves a sparse array.
 * - Setting %NULL removes: a key from its dictionary, an element from its
 *   array (the later ones move up, like `splice`). Removing below a level
 *   that does not exist changes nothing (nanostores would make the empty
 *   levels).
 * - Only “a{sv}” dictionaries and arrays are written to; a typed array
 *   (“as”) takes values of its element type only, and no gap. */

#include "config.h"

#include "isle-error.h"
#include "isle-map-path-private.h"

/* More nulls than this to fill a gap is surely a typo in an index. */
#define MAX_GAP 65536

typedef struct
{
  const char *name;     /* not NUL-terminated: @len bytes */
  gsize       len;
  guint       bracket : 1;  /* written `[N]` */
  guint       numeric : 1;  /* all digits, with @index */
  gsize       index;
} Segment;

static gboolean
parse_index (const char *text,
             gsize       len,
             gsize      *index)
{
  guint64 n = 0;

  if (len == 0 || len > 9)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      n = n * 10 + (guint64) (text[i] - '0');
    }

  *index = (gsize) n;
  return TRUE;
}

/* Splits @path into @segments; FALSE with @error set if it is malformed. */
static gboolean
parse_path (const char  *path,
            GArray      *segments,
            GError     **error)
{
  const char *p = path;

  if (*p == '\0')
    goto bad;

  for (;;)
    {
      const char *name = p;
      Segment seg = { 0 };

      while (*p != '\0' && *p != '.' && *p != '[' && *p != ']')
        p++;
      if (p == name)
        goto bad;

      seg.name = name;
      seg.len = p - name;
      seg.numeric = parse_index (name, seg.len, &seg.index);
      g_array_append_val (segments, seg);

      while (*p == '[')
        {
          const char *digits = ++p;
          Segment index = { .bracket = TRUE, .numeric = TRUE };

          while (g_ascii_isdigit (*p))
            p++;
          if (*p != ']' || !parse_index (digits, p - digits, &index.index))
            goto bad;
          p++;

          index.name = digits;
          index.len = (p - 1) - digits;
          g_array_append_val (segments, index);
        }

      if (*p == '\0')
        return TRUE;
      if (*p != '.')
        goto bad;
      p++;
    }

bad:
  g_set_error (error, ISLE_ERROR, ISLE_ERROR_FAILED,
               "“%s” is not a path: names separated by “.”, each followed by any "
               "number of “[N]” indices, like “items[2].name”", path);
  return FALSE;
}

gboolean
_isle_path_is_valid (const char  *path,
                     GError     **error)
{
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));

  return parse_path (path, segments, error);
}

/* Takes @value (a full reference); returns it unboxed, %NULL for a maybe
 * that holds nothing. */
static GVariant *
unbox (GVariant *value)
{
  while (value != NULL)
    {
      GVariant *inner;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
        inner = g_variant_get_variant (value);
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
        inner = g_variant_get_maybe (value);
      else
        break;

      g_variant_unref (value);
      value = inner;
    }

  return value;
}

static gboolean
is_string_dict (GVariant *node)
{
  const GVariantType *type = g_variant_get_type (node);

  return g_variant_type_is_array (type) &&
         g_variant_type_is_dict_entry (g_variant_type_element (type)) &&
         g_variant_type_equal (g_variant_type_key (g_variant_type_element (type)),
                               G_VARIANT_TYPE_STRING);
}

static gboolean
is_plain_array (GVariant *node)
{
  const GVariantType *type = g_variant_get_type (node);

  return g_variant_type_is_array (type) &&
         !g_variant_type_is_dict_entry (g_variant_type_element (type));
}

/* The child of @node (unboxed, not NULL) at @seg, unboxed; %NULL if none. */
static GVariant *
child_get (GVariant      *node,
           const Segment *seg)
{
  if (!seg->bracket && is_string_dict (node))
    {
      g_autofree char *key = g_strndup (seg->name, seg->len);

      return unbox (g_variant_lookup_value (node, key, NULL));
    }

  if (seg->numeric && (is_plain_array (node) || g_variant_is_of_type (node, G_VARIANT_TYPE_TUPLE)))
    {
      if (seg->index >= g_variant_n_children (node))
        return NULL;
      return unbox (g_variant_get_child_value (node, seg->index));
    }

  return NULL;
}

/* Whether @node (unboxed, nullable) has an entry at @seg, even a null. */
static gboolean
child_exists (GVariant      *node,
              const Segment *seg)
{
  if (node == NULL)
    return FALSE;

  if (!seg->bracket && is_string_dict (node))
    {
      g_autofree char *key = g_strndup (seg->name, seg->len);
      g_autoptr(GVariant) entry = g_variant_lookup_value (node, key, NULL);

      return entry != NULL;
    }

  return seg->numeric && is_plain_array (node) && seg->index < g_variant_n_children (node);
}

GVariant *
_isle_path_get (GVariant   *root,
                const char *path)
{
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  GVariant *node;

  if (root == NULL || !parse_path (path, segments, NULL))
    return NULL;

  node = g_variant_ref (root);
  for (guint i = 0; i < segments->len && node != NULL; i++)
    {
      GVariant *child = child_get (node, &g_array_index (segments, Segment, i));

      g_variant_unref (node);
      node = child;
    }

  return node;
}

static GVariant *
null_value (void)
{
  return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
}

/* A copy of @dict (“a{sv}”) with @key set to @value, or removed for %NULL;
 * the other entries keep their places. */
static GVariant *
dict_with (GVariant      *dict,
           const Segment *seg,
           GVariant      *value)
{
  g_autofree char *key = g_strndup (seg->name, seg->len);
  GVariantBuilder builder;
  gboolean found = FALSE;
  gsize n = g_variant_n_children (dict);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (dict, i);
      g_autoptr(GVariant) entry_key = g_variant_get_child_value (entry, 0);

      if (!g_str_equal (g_variant_get_string (entry_key, NULL), key))
        g_variant_builder_add_value (&builder, entry);
      else if (value != NULL)
        {
          g_variant_builder_add (&builder, "{sv}", key, value);
          found = TRUE;
        }
      else
        found = TRUE;
    }
  if (!found && value != NULL)
    g_variant_builder_add (&builder, "{sv}", key, value);

  return g_variant_builder_end (&builder);
}

/* A copy of @array with element @index set to @value, or removed for
 * %NULL; %NULL with @error set if @value does not fit. */
static GVariant *
array_with (GVariant      *array,
            const Segment *seg,
            GVariant      *value,
            const char    *path,
            GError       **error)
{
  const GVariantType *element = g_variant_type_element (g_variant_get_type (array));
  gboolean boxed = g_variant_type_equal (element, G_VARIANT_TYPE_VARIANT);
  gsize n = g_variant_n_children (array);
  GVariantBuilder builder;

  if (value != NULL && !boxed && !g_variant_is_of_type (value, element))
    {
      g_autofree char *element_text = g_variant_type_dup_string (element);

      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "path “%s”: an array of “%s” cannot hold a value of type “%s”",
                   path, element_text, g_variant_get_type_string (value));
      return NULL;
    }
  if (value != NULL && seg->index > n && (!boxed || seg->index - n > MAX_GAP))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_FAILED,
                   "path “%s”: index %" G_GSIZE_FORMAT " is past the end of an array "
                   "of %" G_GSIZE_FORMAT, path, seg->index, n);
      return NULL;
    }

  g_variant_builder_init (&builder, g_variant_get_type (array));
  for (gsize i = 0; i < n; i++)
    {
      if (i != seg->index)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (array, i);

          g_variant_builder_add_value (&builder, child);
        }
      else if (value != NULL)
        g_variant_builder_add_value (&builder, boxed ? g_variant_new_variant (value) : value);
    }
  if (value != NULL && seg->index >= n)
    {
      for (gsize i = n; i < seg->index; i++)
        g_variant_builder_add_value (&builder, g_variant_new_variant (null_value ()));
      g_variant_builder_add_value (&builder, boxed ? g_variant_new_variant (value) : value);
    }

  return g_variant_builder_end (&builder);
}

/* What @node (unboxed, nullable) becomes when the value at @segs is set to
 * @value (%NULL removes): a full reference, or %NULL if it stays absent;
 * %NULL with @error set if the value cannot go there. */
static GVariant *
set_in (GVariant       *node,
        const Segment  *segs,
        guint           n_segs,
        GVariant       *value,
        const char     *path,
        GError        **error)
{
  const Segment *seg = &segs[0];
  g_autoptr(GVariant) child = node != NULL ? child_get (node, seg) : NULL;
  g_autoptr(GVariant) new_child = NULL;
  g_autoptr(GVariant) made = NULL;
  GVariant *container = node;

  if (n_segs == 1)
    new_child = value != NULL ? g_variant_ref (value) : NULL;
  else
    {
      GError *local_error = NULL;

      new_child = set_in (child, segs + 1, n_segs - 1, value, path, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
    }

  /* Nothing to remove (a null is something: it can be removed), or the
   * same value: this level stays as it is. */
  if (new_child == NULL && child == NULL && !(n_segs == 1 && child_exists (node, seg)))
    return node != NULL ? g_variant_ref (node) : NULL;
  if (new_child != NULL && child != NULL && g_variant_equal (child, new_child))
    return g_variant_ref (node);

  if (container == NULL ||
      !((seg->numeric && is_plain_array (container)) ||
        (!seg->bracket && is_string_dict (container))))
    {
      /* Nothing to remove here; else a new level, over whatever scalar or
       * null was there (as JavaScript's spread of a non-object). */
      if (new_child == NULL)
        return node != NULL ? g_variant_ref (node) : NULL;
      made = g_variant_ref_sink (seg->bracket || seg->numeric
                                 ? g_variant_new_array (G_VARIANT_TYPE_VARIANT, NULL, 0)
                                 : g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
      container = made;
    }

  if (is_string_dict (container))
    {
      if (!g_variant_is_of_type (container, G_VARIANT_TYPE_VARDICT))
        {
          g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                       "path “%s”: a dictionary of type “%s” is read-only to paths; "
                       "only “a{sv}” ones are written", path, g_variant_get_type_string (container));
          return NULL;
        }
      return g_variant_ref_sink (dict_with (container, seg, new_child));
    }

  {
    GVariant *array = array_with (container, seg, new_child, path, error);

    return array != NULL ? g_variant_ref_sink (array) : NULL;
  }
}

/*
 * _isle_path_set:
 * @root: an “a{sv}” dictionary
 * @value: (nullable): the new value at @path, %NULL to remove it
 *
 * Returns: (transfer full): @root with the value at @path set (@root
 *   itself, with a new reference, when nothing changes), or %NULL with
 *   @error set
 */
GVariant *
_isle_path_set (GVariant    *root,
                const char  *path,
                GVariant    *value,
                GError     **error)
{
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  GError *local_error = NULL;
  GVariant *result;

  g_return_val_if_fail (root != NULL, NULL);

  if (!parse_path (path, segments, error))
    return NULL;

  result = set_in (root, (const Segment *) segments->data, segments->len, value, path,
                   &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  /* The root always exists: removing its last key leaves it empty. */
  return result != NULL ? result : g_variant_ref (root);
}
