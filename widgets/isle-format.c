/* isle-format.c: printf-like formats, checked against a value type
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "isle-error.h"
#include "isle-format-private.h"

/* Wider than any sane label; a bound keeps a width from costing memory. */
#define MAX_FIELD 999

typedef enum {
  ARG_INT,
  ARG_UINT,
  ARG_INT64,
  ARG_UINT64,
  ARG_DOUBLE,
  ARG_STRING,
} ArgKind;

struct _IsleFormat
{
  char    *prefix;  /* literal text, “%%” already turned into “%” */
  char    *spec;    /* the one conversion, rebuilt by us: flags, width, precision, length */
  char    *suffix;
  ArgKind  kind;
  GType    value_type;
};

static gboolean
kind_for_type (GType    type,
               ArgKind *kind)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_INT:
    case G_TYPE_BOOLEAN:
    case G_TYPE_CHAR:
    case G_TYPE_ENUM:
      *kind = ARG_INT;
      return TRUE;
    case G_TYPE_UINT:
    case G_TYPE_UCHAR:
    case G_TYPE_FLAGS:
      *kind = ARG_UINT;
      return TRUE;
    case G_TYPE_INT64:
    case G_TYPE_LONG:
      *kind = ARG_INT64;
      return TRUE;
    case G_TYPE_UINT64:
    case G_TYPE_ULONG:
      *kind = ARG_UINT64;
      return TRUE;
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
      *kind = ARG_DOUBLE;
      return TRUE;
    case G_TYPE_STRING:
      *kind = ARG_STRING;
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
conversions_for (ArgKind kind)
{
  switch (kind)
    {
    case ARG_INT:
      return "diouxX";
    case ARG_INT64:
      return "diouxX";
    case ARG_UINT:
    case ARG_UINT64:
      return "ouxX";
    case ARG_DOUBLE:
      return "fFeEgGaA";
    case ARG_STRING:
      return "s";
    default:
      g_assert_not_reached ();
    }
}

/* Appends @text to @out with “%%” turned into “%”; FALSE at a lone “%”. */
static gboolean
append_literal (GString    *out,
                const char *text,
                gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '%')
        {
          if (i + 1 >= len || text[i + 1] != '%')
            return FALSE;
          i++;
        }
      g_string_append_c (out, text[i]);
    }

  return TRUE;
}

static gboolean
parse_number (const char **p,
              guint       *n)
{
  const char *start = *p;

  *n = 0;
  while (g_ascii_isdigit (**p))
    {
      *n = *n * 10 + (guint) (**p - '0');
      if (*n > MAX_FIELD)
        return FALSE;
      (*p)++;
    }

  return *p > start;
}

IsleFormat *
_isle_format_new (const char  *format,
                  GType        value_type,
                  GError     **error)
{
  g_autoptr(GString) prefix = g_string_new (NULL);
  g_autoptr(GString) suffix = g_string_new (NULL);
  g_autoptr(GString) spec = g_string_new ("%");
  const char *p = format;
  const char *conversion = NULL;
  const char *end;
  IsleFormat *self;
  ArgKind kind;
  guint n;
  char c;

  if (!kind_for_type (value_type, &kind))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "cannot format a value of type %s (only numbers, booleans and strings)",
                   g_type_name (value_type));
      return NULL;
    }

  /* The first “%” that is not “%%” starts the one conversion. */
  for (const char *q = format; *q != '\0'; q++)
    if (*q == '%')
      {
        if (q[1] == '%')
          q++;
        else
          {
            conversion = q;
            break;
          }
      }

  if (conversion == NULL)
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "the format “%s” has no conversion for the value", format);
      return NULL;
    }

  append_literal (prefix, format, conversion - format);

  p = conversion + 1;
  /* A string takes no flag but “-”: the others are undefined for “%s”. */
  while (*p != '\0' && strchr (kind == ARG_STRING ? "-" : "-+ #0'", *p) != NULL)
    {
      if (strchr (spec->str + 1, *p) == NULL)
        g_string_append_c (spec, *p);
      p++;
    }
  if (parse_number (&p, &n))
    g_string_append_printf (spec, "%u", n);
  else if (g_ascii_isdigit (*p))
    goto too_wide;
  if (*p == '.')
    {
      p++;
      if (!parse_number (&p, &n) && g_ascii_isdigit (*p))
        goto too_wide;
      g_string_append_printf (spec, ".%u", n);
    }

  /* A length modifier the caller wrote must match the value; we write the
   * one the argument we pass really needs. */
  if (*p == 'l')
    {
      p++;
      if (*p == 'l')
        p++;
      if (kind != ARG_INT64 && kind != ARG_UINT64)
        goto wrong_kind;
    }

  c = *p;
  if (c == '\0' || strchr (conversions_for (kind), c) == NULL)
    goto wrong_kind;
  p++;

  if (kind == ARG_INT64 || kind == ARG_UINT64)
    g_string_append (spec, "ll");
  g_string_append_c (spec, c);

  end = p;
  if (!append_literal (suffix, end, strlen (end)))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "the format “%s” has more than one conversion (write “%%%%” for a “%%”)",
                   format);
      return NULL;
    }

  self = g_new0 (IsleFormat, 1);
  self->prefix = g_string_free (g_steal_pointer (&prefix), FALSE);
  self->spec = g_string_free (g_steal_pointer (&spec), FALSE);
  self->suffix = g_string_free (g_steal_pointer (&suffix), FALSE);
  self->kind = kind;
  self->value_type = value_type;

  return self;

too_wide:
  g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
               "the format “%s” asks for a field wider than %d", format, MAX_FIELD);
  return NULL;

wrong_kind:
  g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
               "the format “%s” does not print a %s: use one conversion of “%s”",
               format, g_type_name (value_type), conversions_for (kind));
  return NULL;
}

void
_isle_format_free (IsleFormat *self)
{
  g_free (self->prefix);
  g_free (self->spec);
  g_free (self->suffix);
  g_free (self);
}

static gint64
value_get_signed (const GValue *value)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_INT: return g_value_get_int (value);
    case G_TYPE_BOOLEAN: return g_value_get_boolean (value);
    case G_TYPE_CHAR: return g_value_get_schar (value);
    case G_TYPE_ENUM: return g_value_get_enum (value);
    case G_TYPE_INT64: return g_value_get_int64 (value);
    case G_TYPE_LONG: return g_value_get_long (value);
    default: g_assert_not_reached ();
    }
}

static guint64
value_get_unsigned (const GValue *value)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_UINT: return g_value_get_uint (value);
    case G_TYPE_UCHAR: return g_value_get_uchar (value);
    case G_TYPE_FLAGS: return g_value_get_flags (value);
    case G_TYPE_UINT64: return g_value_get_uint64 (value);
    case G_TYPE_ULONG: return g_value_get_ulong (value);
    default: g_assert_not_reached ();
    }
}

/* The one place a caller's format reaches printf: _isle_format_new()
 * rebuilt the conversion from parts it checked against the argument's
 * type, so the non-literal format is safe. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

char *
_isle_format_print (IsleFormat   *self,
                    const GValue *value)
{
  g_autofree char *field = NULL;

  g_return_val_if_fail (G_VALUE_HOLDS (value, self->value_type), NULL);

  switch (self->kind)
    {
    case ARG_INT:
      field = g_strdup_printf (self->spec, (int) value_get_signed (value));
      break;
    case ARG_UINT:
      field = g_strdup_printf (self->spec, (unsigned int) value_get_unsigned (value));
      break;
    case ARG_INT64:
      field = g_strdup_printf (self->spec, (long long) value_get_signed (value));
      break;
    case ARG_UINT64:
      field = g_strdup_printf (self->spec, (unsigned long long) value_get_unsigned (value));
      break;
    case ARG_DOUBLE:
      field = g_strdup_printf (self->spec, G_VALUE_HOLDS_FLOAT (value)
                                             ? (double) g_value_get_float (value)
                                             : g_value_get_double (value));
      break;
    case ARG_STRING:
      field = g_strdup_printf (self->spec, g_value_get_string (value) != NULL
                                             ? g_value_get_string (value) : "");
      break;
    default:
      g_assert_not_reached ();
    }

  return g_strconcat (self->prefix, field, self->suffix, NULL);
}

#pragma GCC diagnostic pop
