#!/usr/bin/env python3
"""Extracts the example SIP messages of shared/specs/00[0-3]_*.txt into spec-NNN/ folders.

The specs are PDF/HTML conversions: messages are indented, wrapped, interrupted by page headers
and code fences, and (in the NEC guide, 003) interleaved with Wireshark decode lines. This script
rebuilds each message as the bytes a peer would have sent: one header per line, CRLF line ends,
a blank line, then the SDP body, with Content-Length recomputed from that body. Every fix it
applies is listed in README.md with the digest line that motivates it.

Usage: extract_specs.py SPECS_DIR   (writes next to this script)
"""
import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = r"[A-Za-z0-9!%*_+`'~.-]"
REQUEST = re.compile(r'^([A-Za-z][A-Za-z-]*) ((?:sips?|tel):\S+) SIP/2\.0$')
REQUEST_WRAPPED = re.compile(r'^([A-Z]+) ((?:sips?|tel):\S+)$')  # "SIP/2.0" on the next line
STATUS = re.compile(r'^SIP/2\.0 (\d{3})(?: .*)?$')
HEADER = re.compile(r'^([A-Za-z]' + TOKEN + r'*)\s*:\s*(.*)$')
SDP_LINE = re.compile(r'^[a-z]=')
# Page furniture of the PDF conversions, dropped wherever it interrupts a message.
NOISE = re.compile(r'^(#\s*)?\**Cisco Confidential\**$|^(INTERFACE SPECIFICATION|SIP Trunking|```|#+)$')
CONFIDENTIAL = re.compile(r'\s*(#\s*)?\**Cisco Confidential\**')
ARROW = re.compile(r'\s*\**\S+-->\S+?\**$')
# Lines that end a message: flow diagrams links, arrows, headings, prose labels.
END = re.compile(r'^(\[\[diagram|\[\\\[diagram|\[diagram|\*\*\d|\d+(\.\d+)+\s+[A-Za-z]|Figure |Original |'
                 r'(Title|Description|Configuration|Node)\s*:|#)|-->')

# Header names the NEC guide (003) prints; its other "Name: value" lines are Wireshark decodes.
NEC_HEADERS = {
    'via', 'from', 'to', 'call-id', 'cseq', 'max-forwards', 'contact', 'content-length',
    'content-type', 'expires', 'allow', 'supported', 'user-agent', 'server', 'authorization',
    'www-authenticate', 'event', 'subscription-state', 'accept', 'session-expires', 'min-se',
    'require', 'record-route', 'route', 'allow-events', 'date', 'p-asserted-identity', 'privacy',
}


def normalize(line):
    line = html.unescape(line.rstrip())
    line = CONFIDENTIAL.sub('', line).strip().replace('```', '').strip()
    line = ARROW.sub('', line)                      # "a:5060-->b:5060" flow labels run into a value
    line = re.sub(r'\s+#$', '', line)               # markdown heading residue
    line = re.sub(r'\\([_\[\]*#])', r'\1', line)    # markdown escapes: "media\_control"
    line = line.strip()
    line = re.sub(r'^(\*\*)?\[\d+\]\s*', r'\1', line)  # "[3] SIP/2.0 ..." flow step numbers
    if line.startswith('**') and line.endswith('**') and len(line) > 4:
        line = line[2:-2].strip()
    return line


def nec_normalize(line):
    line = re.sub(r'^-\s+', '', normalize(line))
    line = re.sub(r'^(Request-Line|Status-Line):\s*', '', line)
    # Annotations the guide appends in parentheses: "(Call Identifier – ...)".
    return re.sub(r'\s+\([A-Z][^()]*\)\s*$', '', line)


def start_line(lines, i, norm):
    text = norm(lines[i])
    if REQUEST.match(text) or STATUS.match(text):
        return text, i + 1
    m = REQUEST_WRAPPED.match(text)
    if m and i + 1 < len(lines) and norm(lines[i + 1]) == 'SIP/2.0':
        return text + ' SIP/2.0', i + 2
    return None, i


def glue_for(spec, value):
    """How a value the PDF wrapped is rejoined: MS-OCPSTN (002) wraps at a fixed width inside
    tokens, the others wrap at spaces, except inside a token ending in one of these."""
    if spec == '002' or value[-1:] in ('-', '=', ';', ':', '/', '.'):
        return ''
    return ' '


def collect(lines, i, norm, nec, spec):
    """Headers and SDP body following a start line; returns (headers, body_lines, next_index)."""
    headers, body = [], []
    in_body = False
    while i < len(lines):
        text = norm(lines[i])
        if not text or NOISE.match(text):
            i += 1
            continue
        if start_line(lines, i, norm)[0] or END.match(text):
            break
        if text.startswith('-') and boundary_of(headers):
            body, i = collect_multipart(lines, i, norm, boundary_of(headers))
            break
        if SDP_LINE.match(text) and (in_body or headers):
            in_body = True
            body.append(text)
        elif in_body:
            break
        else:
            m = HEADER.match(text)
            if m and (not nec or m.group(1).lower() in NEC_HEADERS):
                headers.append([m.group(1), m.group(2).strip()])
            elif nec:
                pass  # a decode line between real headers
            elif headers and not m:
                headers[-1][1] += glue_for(spec, headers[-1][1]) + text
            else:
                break
        i += 1
    return headers, body, i


def boundary_of(headers):
    for name, value in headers:
        m = re.search(r'boundary="?([^";\s]+)', value)
        if name.lower() in ('content-type', 'c') and m:
            return m.group(1)
    return None


# Where a line starts inside the collapsed multipart bodies of MS-OCPSTN (DIGEST-002 [1534-1562],
# [1571-1600]): part headers and SDP lines whose line ends the PDF lost.
LINE_START = re.compile(r'(?=Content-[A-Za-z-]+:)|(?=v=0)|(?=t=0 )|(?=[osctbmk]=(?:IN |- |Gateway |session|CT:|audio |base64:))'
                        r'|(?<!annex)(?=a=[a-z])')


def collect_multipart(lines, i, norm, boundary):
    """The body of a multipart example up to the end of the message, with its lost line ends,
    mangled delimiters (dashes missing, a case typo in the boundary) and missing blank lines restored."""
    text = ''
    while i < len(lines):
        line = norm(lines[i])
        if line and (start_line(lines, i, norm)[0] or END.match(line)):
            break
        if line and not NOISE.match(line):
            text += ('' if text.endswith('-') else ' ') + line
        i += 1
    delimiter = re.compile(r'\s*-+' + re.escape(boundary.lstrip('-')) + r'(--)?\s*', re.IGNORECASE)
    chunks = [c for c in delimiter.split(text) if c and c.strip() and c != '--']
    body = []
    for chunk in chunks:
        body.append('--' + boundary)
        part = [l.strip() for l in LINE_START.split(chunk) if l.strip()]
        headers = [l for l in part if l.startswith('Content-')]
        body += headers + [''] + [l for l in part if not l.startswith('Content-')]
    body.append('--' + boundary + '--')
    return body, i


def build(start, headers, body):
    body_text = ''.join(l + '\r\n' for l in body)
    out = [start]
    has_length = False
    for name, value in headers:
        if name.lower() in ('content-length', 'l'):
            value = str(len(body_text))
            has_length = True
        out.append(name + ': ' + value)
    if not has_length:
        out.append('Content-Length: ' + str(len(body_text)))
    return ('\r\n'.join(out) + '\r\n\r\n' + body_text).encode('utf-8')


COLLAPSED_START = re.compile(r'^(SIP/2\.0 \d{3} \S+?)(?=Via:)')
# Header names of the two MS-OCPSTN 200 responses printed with every line end lost (DIGEST-002
# [1571-1600]); a name glued to the previous value marks where a line ended.
COLLAPSED_HEADER = re.compile(r'(?=(?:Via|From|To|Call-ID|CSeq|Record-Route|Contact|User-Agent|'
                              r'Supported|Allow|Session-Expires|ms-accepted-content-id|'
                              r'P-Preferred-Identity|Proxy-Authorization|Content-Type|'
                              r'Content-Length):)|(?<!P-)(?=Preferred-Identity:)')


def collect_collapsed(lines, i, norm):
    """A message whose line ends were all lost: rejoin the wrapped text, split it before each
    known header name, and split the SDP that follows Content-Length like a multipart part."""
    text = ''
    while i < len(lines):
        line = norm(lines[i])
        if line and END.match(line):
            break
        if line and not NOISE.match(line):
            text += ('' if not text or text.endswith('-') else ' ') + line
        i += 1
    start = COLLAPSED_START.match(text).group(1)
    head, _, sdp = text[len(start):].partition('v=0')
    headers = []
    for field in COLLAPSED_HEADER.split(head):
        name, _, value = field.partition(':')
        if value:
            headers.append([name.strip(), value.strip()])
    body = [l.strip() for l in LINE_START.split('v=0' + sdp) if l.strip()] if sdp else []
    return start, headers, body, i


def extract(path, spec):
    nec = spec == '003'
    norm = nec_normalize if nec else normalize
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    messages = []
    i = 0
    while i < len(lines):
        if spec == '002' and COLLAPSED_START.match(norm(lines[i])):
            start, headers, body, k = collect_collapsed(lines, i, norm)
            messages.append((i + 1, start, headers, body))
            i = k
            continue
        start, j = start_line(lines, i, norm)
        if not start:
            i += 1
            continue
        headers, body, k = collect(lines, j, norm, nec, spec)
        if len(headers) >= 3:  # fragments (table cells quoting one header) are not messages
            messages.append((i + 1, start, headers, body))
        i = max(k, j)
    return messages


def main():
    specs = sys.argv[1]
    for name in sorted(os.listdir(specs)):
        m = re.match(r'^(00[0-3])_.*\.txt$', name)
        if not m:
            continue
        folder = os.path.join(HERE, 'spec-' + m.group(1))
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            if old.endswith('.sip'):
                os.remove(os.path.join(folder, old))
        for line_no, start, headers, body in extract(os.path.join(specs, name), m.group(1)):
            for fix in FIXES.get((m.group(1), line_no), []):
                start, headers, body = fix(start, headers, body)
            label = start.split(' ')[0] if not start.startswith('SIP/') else start.split(' ')[1]
            with open(os.path.join(folder, 'L%05d-%s.sip' % (line_no, label)), 'wb') as f:
                f.write(build(start, headers, body))


def replace_in(header, old, new):
    """A fix replacing text in every header of that name (case-insensitive)."""
    def fix(start, headers, body):
        for h in headers:
            if h[0].lower() == header.lower():
                h[1] = h[1].replace(old, new)
        return start, headers, body
    return fix


def rename_header(old, new):
    def fix(start, headers, body):
        for h in headers:
            if h[0] == old:
                h[0] = new
        return start, headers, body
    return fix


def replace_in_body(old, new):
    """A fix in the SDP text; the body is re-split as the repaired text may reveal a line start."""
    def fix(start, headers, body):
        lines = [l.replace(old, new) for l in body]
        return start, headers, [p.strip() for l in lines for p in LINE_START.split(l) if p.strip()]
    return fix


def join_branch_split(start, headers, body):
    """A Via branch broken by a space in the PDF ("z9hG4bKaM LPj4TQyeod")."""
    for h in headers:
        if h[0] in ('v', 'Via'):
            h[1] = h[1].replace('z9hG4bKaM LPj4TQyeod', 'z9hG4bKaMLPj4TQyeod')
    return start, headers, body


# Transcription fixes keyed by (spec, line of the start line); see README.md.
FIXES = {
    ('000', 558): [join_branch_split],
    ('002', 972): [replace_in('Contact', '<sipserver1.', '<sip:sipserver1.')],  # DIGEST-002 [995]
    ('002', 1008): [replace_in('Record-Route', ';lr,ms-identity', ';lr;ms-identity')],  # [1018]
    ('002', 1571): [rename_header('Preferred-Identity', 'P-Preferred-Identity'),  # [1586]
                    replace_in('Session-Expires', 'refresh=1uac', 'refresher=uac')],  # [1585]
    ('002', 1968): [replace_in_body('o-- 0 0', 'o=- 0 0')],
}

if __name__ == '__main__':
    main()
