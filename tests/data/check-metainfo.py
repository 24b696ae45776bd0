#!/usr/bin/python3
# tests/data/check-metainfo.py: the merged metainfo names the project's own
# homepage and screenshots. No placeholder host (example.org and the like)
# in any URL; every screenshot's image is below the homepage, at the path
# of a PNG of the source tree (data/screenshots/, the end-to-end suite's
# own screenshots), so the site that serves the tree serves the images;
# and the shipped plugins name the same homepage.
#
# Usage: check-metainfo.py METAINFO SOURCE_ROOT HOMEPAGE
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import configparser
import glob
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ET

metainfo, source_root, homepage = sys.argv[1:4]
failures = []
PLACEHOLDERS = ('example.org', 'example.com', 'example.net', 'localhost')

root = ET.parse(metainfo).getroot()
urls = [(u.get('type'), u.text.strip()) for u in root.iter('url')]
images = [i.text.strip() for i in root.iter('image')]

for kind, url in urls + [('screenshot', i) for i in images]:
    host = urllib.parse.urlsplit(url).hostname or ''
    if urllib.parse.urlsplit(url).scheme != 'https':
        failures.append(f'{kind} URL {url} is not https')
    if any(host == p or host.endswith('.' + p) for p in PLACEHOLDERS):
        failures.append(f'{kind} URL {url} is a placeholder')

if ('homepage', homepage) not in urls:
    failures.append(f'the homepage is not {homepage}: {urls}')

if not images:
    failures.append('no screenshot')
for url in images:
    if not url.startswith(homepage + '/'):
        failures.append(f'the screenshot {url} is not below the homepage {homepage}')
        continue
    path = os.path.join(source_root, *url[len(homepage) + 1:].split('/'))
    if not os.path.isfile(path):
        failures.append(f'the screenshot {url} is not a file of the source tree ({path})')
        continue
    with open(path, 'rb') as f:
        if f.read(8) != b'\x89PNG\r\n\x1a\n':
            failures.append(f'the screenshot {path} is not a PNG')

for plugin in glob.glob(os.path.join(source_root, 'data', 'plugins', '*', '*.plugin')):
    info = configparser.ConfigParser(interpolation=None)
    info.read(plugin, encoding='utf-8')
    website = info.get('Plugin', 'Website', fallback=None)
    if website is not None and website != homepage:
        failures.append(f'{plugin} names the website {website}, not {homepage}')

for failure in failures:
    print('not ok:', failure)
if failures:
    sys.exit(1)
print(f'ok: homepage {homepage}, {len(images)} screenshots of the source tree')
