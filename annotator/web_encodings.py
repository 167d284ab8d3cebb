"""The web's character encodings: the labels a page may declare, by the Python codec that
decodes what browsers decode under each (the WHATWG Encoding Standard's table); and a guess
for a page that declares none.

Python's own codec names miss many labels pages use (windows-874 for Thai, x-sjis,
iso-8859-8-i, x-gbk…), and know others no browser decodes with (base64, unicode_escape).
Where the Standard decodes a label with a larger code page than Python's codec of that name,
the larger one is named: big5 is Big5-HKSCS, gbk is GB18030, shift_jis is windows-31j
(cp932), euc-kr is cp949, and latin1 and ascii are windows-1252. A UTF-16 label in a
<meta> read as ASCII cannot be true: it means UTF-8. The labels the Standard decodes as
"replacement" (iso-2022-kr, hz-gb-2312…) and x-user-defined are not here: a page naming
one is read as if it named none.
"""

from __future__ import annotations

#: label (ASCII lower case) -> Python codec. From the Encoding Standard's labels table.
LABELS = {
    # big5 (Python: big5hkscs)
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cn-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    # euc-jp
    "cseucpkdfmtjapanese": "euc_jp",
    "euc-jp": "euc_jp",
    "x-euc-jp": "euc_jp",
    # euc-kr (Python: cp949)
    "cseuckr": "cp949",
    "csksc56011987": "cp949",
    "euc-kr": "cp949",
    "iso-ir-149": "cp949",
    "korean": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601-1989": "cp949",
    "ksc5601": "cp949",
    "ksc_5601": "cp949",
    "windows-949": "cp949",
    # gb18030
    "gb18030": "gb18030",
    # gbk (Python: gb18030)
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "csiso58gb231280": "gb18030",
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "iso-ir-58": "gb18030",
    "x-gbk": "gb18030",
    # ibm866 (Python: cp866)
    "866": "cp866",
    "cp866": "cp866",
    "csibm866": "cp866",
    "ibm866": "cp866",
    # iso-2022-jp (Python: iso2022_jp)
    "csiso2022jp": "iso2022_jp",
    "iso-2022-jp": "iso2022_jp",
    # iso-8859-10 (Python: iso8859_10)
    "csisolatin6": "iso8859_10",
    "iso-8859-10": "iso8859_10",
    "iso-ir-157": "iso8859_10",
    "iso8859-10": "iso8859_10",
    "iso885910": "iso8859_10",
    "l6": "iso8859_10",
    "latin6": "iso8859_10",
    # iso-8859-13 (Python: iso8859_13)
    "iso-8859-13": "iso8859_13",
    "iso8859-13": "iso8859_13",
    "iso885913": "iso8859_13",
    # iso-8859-14 (Python: iso8859_14)
    "iso-8859-14": "iso8859_14",
    "iso8859-14": "iso8859_14",
    "iso885914": "iso8859_14",
    # iso-8859-15 (Python: iso8859_15)
    "csisolatin9": "iso8859_15",
    "iso-8859-15": "iso8859_15",
    "iso8859-15": "iso8859_15",
    "iso885915": "iso8859_15",
    "iso_8859-15": "iso8859_15",
    "l9": "iso8859_15",
    # iso-8859-16 (Python: iso8859_16)
    "iso-8859-16": "iso8859_16",
    # iso-8859-2 (Python: iso8859_2)
    "csisolatin2": "iso8859_2",
    "iso-8859-2": "iso8859_2",
    "iso-ir-101": "iso8859_2",
    "iso8859-2": "iso8859_2",
    "iso88592": "iso8859_2",
    "iso_8859-2": "iso8859_2",
    "iso_8859-2:1987": "iso8859_2",
    "l2": "iso8859_2",
    "latin2": "iso8859_2",
    # iso-8859-3 (Python: iso8859_3)
    "csisolatin3": "iso8859_3",
    "iso-8859-3": "iso8859_3",
    "iso-ir-109": "iso8859_3",
    "iso8859-3": "iso8859_3",
    "iso88593": "iso8859_3",
    "iso_8859-3": "iso8859_3",
    "iso_8859-3:1988": "iso8859_3",
    "l3": "iso8859_3",
    "latin3": "iso8859_3",
    # iso-8859-4 (Python: iso8859_4)
    "csisolatin4": "iso8859_4",
    "iso-8859-4": "iso8859_4",
    "iso-ir-110": "iso8859_4",
    "iso8859-4": "iso8859_4",
    "iso88594": "iso8859_4",
    "iso_8859-4": "iso8859_4",
    "iso_8859-4:1988": "iso8859_4",
    "l4": "iso8859_4",
    "latin4": "iso8859_4",
    # iso-8859-5 (Python: iso8859_5)
    "csisolatincyrillic": "iso8859_5",
    "cyrillic": "iso8859_5",
    "iso-8859-5": "iso8859_5",
    "iso-ir-144": "iso8859_5",
    "iso8859-5": "iso8859_5",
    "iso88595": "iso8859_5",
    "iso_8859-5": "iso8859_5",
    "iso_8859-5:1988": "iso8859_5",
    # iso-8859-6 (Python: iso8859_6)
    "arabic": "iso8859_6",
    "asmo-708": "iso8859_6",
    "csiso88596e": "iso8859_6",
    "csiso88596i": "iso8859_6",
    "csisolatinarabic": "iso8859_6",
    "ecma-114": "iso8859_6",
    "iso-8859-6": "iso8859_6",
    "iso-8859-6-e": "iso8859_6",
    "iso-8859-6-i": "iso8859_6",
    "iso-ir-127": "iso8859_6",
    "iso8859-6": "iso8859_6",
    "iso88596": "iso8859_6",
    "iso_8859-6": "iso8859_6",
    "iso_8859-6:1987": "iso8859_6",
    # iso-8859-7 (Python: iso8859_7)
    "csisolatingreek": "iso8859_7",
    "ecma-118": "iso8859_7",
    "elot_928": "iso8859_7",
    "greek": "iso8859_7",
    "greek8": "iso8859_7",
    "iso-8859-7": "iso8859_7",
    "iso-ir-126": "iso8859_7",
    "iso8859-7": "iso8859_7",
    "iso88597": "iso8859_7",
    "iso_8859-7": "iso8859_7",
    "iso_8859-7:1987": "iso8859_7",
    "sun_eu_greek": "iso8859_7",
    # iso-8859-8 (Python: iso8859_8)
    "csiso88598e": "iso8859_8",
    "csisolatinhebrew": "iso8859_8",
    "hebrew": "iso8859_8",
    "iso-8859-8": "iso8859_8",
    "iso-8859-8-e": "iso8859_8",
    "iso-ir-138": "iso8859_8",
    "iso8859-8": "iso8859_8",
    "iso88598": "iso8859_8",
    "iso_8859-8": "iso8859_8",
    "iso_8859-8:1988": "iso8859_8",
    "visual": "iso8859_8",
    # iso-8859-8-i (Python: iso8859_8)
    "csiso88598i": "iso8859_8",
    "iso-8859-8-i": "iso8859_8",
    "logical": "iso8859_8",
    # koi8-r
    "cskoi8r": "koi8_r",
    "koi": "koi8_r",
    "koi8": "koi8_r",
    "koi8-r": "koi8_r",
    "koi8_r": "koi8_r",
    # koi8-u
    "koi8-u": "koi8_u",
    # macintosh (Python: mac_roman)
    "csmacintosh": "mac_roman",
    "mac": "mac_roman",
    "macintosh": "mac_roman",
    "x-mac-roman": "mac_roman",
    # shift_jis (Python: cp932)
    "csshiftjis": "cp932",
    "ms_kanji": "cp932",
    "shift-jis": "cp932",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    # utf-16be (Python: utf_8)
    "unicodefffe": "utf_8",
    "utf-16be": "utf_8",
    # utf-16le (Python: utf_8)
    "csunicode": "utf_8",
    "iso-10646-ucs-2": "utf_8",
    "ucs-2": "utf_8",
    "unicode": "utf_8",
    "unicodefeff": "utf_8",
    "utf-16": "utf_8",
    "utf-16le": "utf_8",
    # utf-8
    "unicode-1-1-utf-8": "utf_8",
    "unicode11utf8": "utf_8",
    "unicode20utf8": "utf_8",
    "utf-8": "utf_8",
    "utf8": "utf_8",
    "x-unicode20utf8": "utf_8",
    # windows-1250 (Python: cp1250)
    "cp1250": "cp1250",
    "windows-1250": "cp1250",
    "x-cp1250": "cp1250",
    # windows-1251 (Python: cp1251)
    "cp1251": "cp1251",
    "windows-1251": "cp1251",
    "x-cp1251": "cp1251",
    # windows-1252 (Python: cp1252)
    "ansi_x3.4-1968": "cp1252",
    "ascii": "cp1252",
    "cp1252": "cp1252",
    "cp819": "cp1252",
    "csisolatin1": "cp1252",
    "ibm819": "cp1252",
    "iso-8859-1": "cp1252",
    "iso-ir-100": "cp1252",
    "iso8859-1": "cp1252",
    "iso88591": "cp1252",
    "iso_8859-1": "cp1252",
    "iso_8859-1:1987": "cp1252",
    "l1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    # windows-1253 (Python: cp1253)
    "cp1253": "cp1253",
    "windows-1253": "cp1253",
    "x-cp1253": "cp1253",
    # windows-1254 (Python: cp1254)
    "cp1254": "cp1254",
    "csisolatin5": "cp1254",
    "iso-8859-9": "cp1254",
    "iso-ir-148": "cp1254",
    "iso8859-9": "cp1254",
    "iso88599": "cp1254",
    "iso_8859-9": "cp1254",
    "iso_8859-9:1989": "cp1254",
    "l5": "cp1254",
    "latin5": "cp1254",
    "windows-1254": "cp1254",
    "x-cp1254": "cp1254",
    # windows-1255 (Python: cp1255)
    "cp1255": "cp1255",
    "windows-1255": "cp1255",
    "x-cp1255": "cp1255",
    # windows-1256 (Python: cp1256)
    "cp1256": "cp1256",
    "windows-1256": "cp1256",
    "x-cp1256": "cp1256",
    # windows-1257 (Python: cp1257)
    "cp1257": "cp1257",
    "windows-1257": "cp1257",
    "x-cp1257": "cp1257",
    # windows-1258 (Python: cp1258)
    "cp1258": "cp1258",
    "windows-1258": "cp1258",
    "x-cp1258": "cp1258",
    # windows-874 (Python: cp874)
    "dos-874": "cp874",
    "iso-8859-11": "cp874",
    "iso8859-11": "cp874",
    "iso885911": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    # x-mac-cyrillic (Python: mac_cyrillic)
    "x-mac-cyrillic": "mac_cyrillic",
    "x-mac-ukrainian": "mac_cyrillic",
}

#: Codecs of scripts other than Latin: windows-1252 read for them is mojibake on every
#: letter, so a guess among them beats the default. A guess of another Latin code page does
#: not: charset_normalizer took French windows-1252 for Baltic windows-1257.
NON_LATIN = frozenset(
    {"cp866", "koi8_r", "koi8_u", "mac_cyrillic", "iso8859_5", "cp1251"}
    | {"iso8859_6", "cp1256", "iso8859_7", "cp1253", "iso8859_8", "cp1255", "cp874"}
    | {"gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949"}
)


def codec_of_label(label: str) -> str | None:
    """The Python codec a declared label means, or None when no browser decodes with it."""
    return LABELS.get(label.strip(" \t\n\f\r").lower())


def guessed_codec(data: bytes) -> str | None:
    """The codec of a page that declares none and is not UTF-8, when the text reads as a
    script windows-1252 would garble (as browsers guess: Chrome and Firefox detect the
    encoding of such pages); None: windows-1252, the web's default."""
    from charset_normalizer import from_bytes  # only a page without a declaration pays

    best = from_bytes(data, cp_isolation=sorted(set(LABELS.values()))).best()
    if best is None:
        return None
    codec = LABELS.get(best.encoding.replace("_", "-"), best.encoding)
    return codec if codec in NON_LATIN else None
