#!/usr/bin/python3
# Isle Shop's plugins end to end (widgets/shop/shop-plugins.c): the Python
# pane the program ships (data/plugins/recently-added) in the real window,
# in sync with the C panes through the registry's cart; and broken plugins
# (a syntax error, a missing module, a setup that raises, a GTK 3 import)
# that each fail alone, said in the window, in the inspector and on
# stderr, while everything else goes on. Driven through AT-SPI, with the
# machinery of test_shop.py.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gettext  # noqa: E402

from gi.repository import GLib  # noqa: E402

from test_shop import (  # noqa: E402
    BUILD_ROOT, CONTROL_MASK, SOURCE_ROOT, Atspi, ShopTestCase, catalogue, children_of,
    has_action, is_showing, name_of, press, role_of, setUpModule, states_of, tearDownModule,
    text_of, wait_until,
)

__all__ = ['setUpModule', 'tearDownModule']

SHIPPED_PLUGINS = os.path.join(SOURCE_ROOT, 'data', 'plugins')


def plugin_env(extra_path=None):
    """What the uninstalled program needs to load Python plugins: the
    shipped plugins, the build's typelib and the overrides (meson devenv
    sets the same)."""
    def prepend(name, value):
        old = os.environ.get(name)
        return value if not old else value + os.pathsep + old
    return {
        'ISLE_SHOP_PLUGIN_PATH': SHIPPED_PLUGINS if extra_path is None
        else extra_path + os.pathsep + SHIPPED_PLUGINS,
        'GI_TYPELIB_PATH': prepend('GI_TYPELIB_PATH', os.path.join(BUILD_ROOT, 'widgets')),
        'PYTHONPATH': prepend('PYTHONPATH', os.path.join(SOURCE_ROOT, 'widgets', 'python')),
        'PYTHONDONTWRITEBYTECODE': '1',
    }


def write_plugin(folder, module, code=None, name=None):
    """A plugin folder: MODULE.plugin, and MODULE.py unless code is None."""
    path = os.path.join(folder, module)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, module + '.plugin'), 'w', encoding='utf-8') as f:
        f.write('[Plugin]\nModule=%s\nLoader=python3\nName=%s\n' % (module, name or module))
    if code is not None:
        with open(os.path.join(path, module + '.py'), 'w', encoding='utf-8') as f:
            f.write(textwrap.dedent(code))


RAISING = '''
    import gi
    gi.require_version('Gtk', '4.0')
    gi.require_version('Isle', '1')
    from gi.repository import GObject, Gtk, Isle

    class Raising(Isle.Island):
        __gtype_name__ = 'TestRaisingPane'

        def do_setup(self):
            self.use_atom('cart')
            raise RuntimeError('setup went wrong')

    class Provider(GObject.Object, Isle.PaneProvider):
        def do_create_pane(self):
            return Raising(name='raising pane')
'''

GTK3 = '''
    import gi
    gi.require_version('Gtk', '3.0')
    from gi.repository import Gtk
'''

PEASGTK = '''
    import gi
    gi.require_version('PeasGtk', '1.0')
    from gi.repository import PeasGtk
'''


class TestPlugins(ShopTestCase):

    def recent_label(self, shop):
        return shop.wait_for(Atspi.Role.LABEL, what='the Recently Added pane',
                             showing=False,
                             predicate=lambda a: name_of(a).startswith('Recently added:')
                             or name_of(a) == 'Nothing added yet')

    def remove_button(self, shop, product_name):
        return shop.wait_for(Atspi.Role.PUSH_BUTTON, 'Remove One %s' % product_name,
                             showing=False)

    def test_python_pane_and_c_badge_stay_in_sync(self):
        (_, first, _), (_, second, _) = catalogue()[:2]
        shop = self.start_shop(env=plugin_env())
        shop.wait_badge('0 items in cart')
        recent = self.recent_label(shop)
        self.assertEqual(name_of(recent), 'Nothing added yet')

        # "Add" on a C product card: the Python pane shows it.
        shop.add(first, 1)
        wait_until(lambda: name_of(recent) == 'Recently added: %s' % first,
                   lambda: 'the Python pane to show %r (it shows %r)' % (first, name_of(recent)))
        shop.add(second, 2)
        wait_until(lambda: name_of(recent) == 'Recently added: %s' % second,
                   lambda: 'the Python pane to show %r (it shows %r)' % (second, name_of(recent)))

        # A button of the Python pane: the C badge changes.
        button = self.remove_button(shop, second)
        self.assertIn('sensitive', states_of(button))
        press(button)
        shop.wait_badge('1 item in cart')
        wait_until(lambda: 'sensitive' not in states_of(button),
                   'the Remove One button to be insensitive once the line is gone')
        self.assertEqual(shop.quit(), 0, shop.output())

    def test_broken_plugins_fail_alone(self):
        # In the user's plugin folder, $XDG_DATA_HOME/isle-shop/plugins.
        folder = os.path.join(self.home, 'xdg_data_home', 'isle-shop', 'plugins')
        write_plugin(folder, 'syntax_error', 'def broken(:\n', name='Syntax Error')
        write_plugin(folder, 'missing_module', None, name='Missing Module')
        write_plugin(folder, 'raising', RAISING, name='Raising')
        write_plugin(folder, 'needs_gtk3', GTK3, name='Needs GTK 3')
        write_plugin(folder, 'needs_peasgtk', PEASGTK, name='Needs PeasGtk')
        (_, first, _), = catalogue()[:1]

        shop = self.start_shop(env=plugin_env())
        shop.wait_badge('0 items in cart')

        # Every broken plugin says why, in its own place in the window.
        def failure(text):
            return shop.wait_for(Atspi.Role.LABEL, showing=False,
                                 what='a failure label containing %r' % text,
                                 predicate=lambda a: text in name_of(a))

        stopped = 'This part of the window stopped working: '
        for plugin in ('Syntax Error', 'Missing Module', 'Needs GTK 3', 'Needs PeasGtk'):
            label = failure('The plugin “%s” could not be used' % plugin)
            self.assertTrue(name_of(label).startswith(stopped), name_of(label))
        self.assertTrue(name_of(failure('RuntimeError: setup went wrong')).startswith(stopped))

        # The shipped Python pane and the C panes go on.
        recent = self.recent_label(shop)
        shop.add(first, 1)
        wait_until(lambda: name_of(recent) == 'Recently added: %s' % first,
                   lambda: 'the Python pane to show %r (it shows %r)' % (first, name_of(recent)))

        # The inspector names the failed islands and says why.
        press(shop.wait_for(Atspi.Role.PUSH_BUTTON, 'Main Menu', predicate=has_action))
        press(shop.wait_for(Atspi.Role.MENU_ITEM, 'Inspector'))

        def inspector_text():
            # The inspector's list of islands (IsleInspector), a row per
            # island: the texts of its labels, not of the window's own.
            islands = (shop.find(Atspi.Role.LIST, 'Islands', showing=False) or
                       shop.find(Atspi.Role.LIST_BOX, 'Islands', showing=False))
            if islands is None:
                return None
            text = '\n'.join(text_of(label) or '' for label in
                              shop.find_all(Atspi.Role.LABEL, showing=False, within=islands))
            return text if 'plugin syntax_error' in text else None

        text = wait_until(inspector_text, 'the inspector to list the plugin islands')
        for expected in ('plugin syntax_error: failed', 'plugin missing_module: failed',
                         'plugin needs_gtk3: failed', 'plugin needs_peasgtk: failed',
                         'raising pane: failed', 'RuntimeError: setup went wrong',
                         'recently-added (Python): active'):
            self.assertIn(expected, text)
        # With the reason, the last line of the plugin's traceback.
        for reason in ('“Syntax Error” could not be used: SyntaxError: ',
                       "“Missing Module” could not be used: ModuleNotFoundError: "
                       "No module named 'missing_module'",
                       '“Needs GTK 3” could not be used: ValueError: '
                       'Namespace Gtk is already loaded with version 4.0',
                       "“Needs PeasGtk” could not be used: ImportError: "
                       "Requiring namespace 'Gtk' version '3.0', but '4.0' is already loaded"):
            self.assertIn(reason, text)

        self.assertEqual(shop.quit(), 0, shop.output())

        # And stderr says it too.
        output = shop.output()
        for module in ('syntax_error', 'missing_module', 'needs_gtk3', 'needs_peasgtk'):
            self.assertIn('isle-shop: plugin “%s”' % module, output)
        self.assertIn('RuntimeError: setup went wrong', output)
        self.assertIn('SyntaxError', output)

    def test_panes_in_every_window(self):
        """A second window (Ctrl+N) has the plugin's pane too, its own
        island on the same cart: Add in one window shows in both panes,
        Remove One in the second changes both badges."""
        KEY_n = 0x06e
        (_, first, _), = catalogue()[:1]
        shop = self.start_shop(env=plugin_env())
        shop.wait_badge('0 items in cart')
        self.recent_label(shop)
        shop.type_keys(KEY_n, CONTROL_MASK)

        def frames():
            return [c for c in children_of(shop.app)
                    if role_of(c) == Atspi.Role.FRAME and is_showing(c)]
        wait_until(lambda: len(frames()) == 2, 'a second window')

        def pane_label(frame):
            return next(shop.find_all(Atspi.Role.LABEL, within=frame, showing=False,
                                      predicate=lambda a: name_of(a).startswith('Recently added:')
                                      or name_of(a) == 'Nothing added yet'), None)
        labels = [wait_until(lambda f=f: pane_label(f), 'the Recently Added pane in %s'
                             % name_of(f)) for f in frames()]
        self.assertEqual(len(labels), 2)
        self.assertNotEqual(labels[0], labels[1])

        shop.add(first, 1)
        for label in labels:
            wait_until(lambda label=label: name_of(label) == 'Recently added: %s' % first,
                       lambda label=label: 'both panes to show %r (one shows %r)'
                       % (first, name_of(label)))

        second = [f for f in frames() if f != shop.frame][0]
        badges = [next(shop.find_all(Atspi.Role.LABEL, within=f, predicate=shop.is_badge))
                  for f in (shop.frame, second)]
        button = next(shop.find_all(Atspi.Role.PUSH_BUTTON, 'Remove One %s' % first,
                                    within=second, showing=False))
        press(button)
        for badge in badges:
            wait_until(lambda badge=badge: name_of(badge) == '0 items in cart',
                       'both badges to say 0 items')
        shop.frame = second  # the active window, where Ctrl+Q goes
        self.assertEqual(shop.quit(), 0, shop.output())

    def test_python_pane_speaks_german(self):
        # The Python pane's strings are in the program's catalogue (po/),
        # so with LANGUAGE=de it speaks German like the C panes.
        with open(os.path.join(BUILD_ROOT, 'po', 'de', 'LC_MESSAGES', 'isle.mo'), 'rb') as f:
            german = gettext.GNUTranslations(f)
        merged = GLib.KeyFile()
        merged.load_from_file(os.path.join(BUILD_ROOT, 'data', 'catalogue.ini'),
                              GLib.KeyFileFlags.KEEP_TRANSLATIONS)
        (product_id, _, _), = catalogue()[:1]
        first = merged.get_locale_string('Product ' + product_id, 'Name', 'de')
        for english in ('Recently Added', 'Nothing added yet', 'Recently added: %s',
                        'Remove One %s'):
            self.assertNotEqual(german.gettext(english), english,
                                'po/de.po does not translate %r' % english)
        env = dict(plugin_env(), LANGUAGE='de', LANG='C.UTF-8')
        shop = self.start_shop(env=env, translations=german)
        shop.wait_badge(shop.count_name(0))
        shop.wait_for(Atspi.Role.LABEL, german.gettext('Recently Added'), showing=False)
        recent = shop.wait_for(Atspi.Role.LABEL, german.gettext('Nothing added yet'),
                               showing=False)
        shop.add(first, 1)
        wait_until(lambda: name_of(recent) == german.gettext('Recently added: %s') % first,
                   lambda: 'the Python pane to say %r in German (it says %r)'
                   % (first, name_of(recent)))
        shop.wait_for(Atspi.Role.PUSH_BUTTON, german.gettext('Remove One %s') % first,
                      showing=False)
        self.assertEqual(shop.quit(), 0, shop.output())


if __name__ == '__main__':
    unittest.main(verbosity=2)
