#!/usr/bin/python3
# Checks that every public symbol in a GIR file is documented: each class,
# record, enum, callback, function, method, constructor, virtual method,
# property, signal, enum member, parameter and return value has a doc
# comment, and each top-level symbol says since when it exists.
#
# Usage: check-gir-docs.py Isle-1.gir

import sys
import xml.etree.ElementTree as ET

NS = {'core': 'http://www.gtk.org/introspection/core/1.0'}
CORE = '{http://www.gtk.org/introspection/core/1.0}'

CALLABLES = ('function', 'method', 'constructor', 'virtual-method', 'callback')
CONTAINERS = ('class', 'record', 'interface', 'enumeration', 'bitfield', 'callback')


def has_doc(elem):
    doc = elem.find('core:doc', NS)
    return doc is not None and (doc.text or '').strip() != ''


def check_callable(elem, where, problems):
    if not has_doc(elem):
        problems.append(f'{where}: no documentation')
    # A deliberate (skip) must tell bindings what to use instead.
    if elem.get('introspectable') == '0' and elem.get('shadowed-by') is None:
        doc = elem.find('core:doc', NS)
        if doc is None or 'Bindings' not in (doc.text or ''):
            problems.append(f'{where}: not introspectable, and its docs do not say what bindings use')
    params = elem.find('core:parameters', NS)
    if params is not None:
        for param in params:
            if param.tag == CORE + 'instance-parameter':
                continue
            if not has_doc(param):
                problems.append(f'{where}: parameter {param.get("name")} undocumented')
    ret = elem.find('core:return-value', NS)
    if ret is not None:
        rtype = ret.find('core:type', NS)
        if not (rtype is not None and rtype.get('name') == 'none') and not has_doc(ret):
            problems.append(f'{where}: return value undocumented')


def main(path):
    root = ET.parse(path).getroot()
    ns = root.find('core:namespace', NS)
    problems = []
    count = 0

    for elem in ns:
        tag = elem.tag.replace(CORE, '')
        name = elem.get('name')
        if tag in ('function', 'callback'):
            count += 1
            check_callable(elem, name, problems)
        elif tag in CONTAINERS:
            # Class structs of final types are generated and undocumentable.
            if elem.get('{http://www.gtk.org/introspection/glib/1.0}is-gtype-struct-for'):
                continue
            count += 1
            if not has_doc(elem):
                problems.append(f'{name}: no documentation')
        else:
            continue
        if elem.get('version') is None and tag != 'alias':
            problems.append(f'{name}: no "Since:" version')

        for child in elem:
            ctag = child.tag.replace(CORE, '')
            cname = f'{name}.{child.get("name")}'
            if ctag in CALLABLES:
                count += 1
                check_callable(child, cname, problems)
                if child.get('version') is None:
                    problems.append(f'{cname}: no "Since:" version')
            elif ctag in ('property', 'glib:signal'):
                count += 1
                if not has_doc(child):
                    problems.append(f'{cname}: no documentation')
            elif ctag == 'member':
                count += 1
                if not has_doc(child):
                    problems.append(f'{cname}: no documentation')

    for problem in problems:
        print(problem)
    print(f'{count} symbols checked, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
