//! The two embedded typefaces: measuring text, turning it into glyph ids while recording which
//! glyphs a document uses, and writing each used font into the PDF as a subset CID font.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

use crate::DocumentError;

const SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const SERIF_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSerif-Bold.ttf");

/// The typefaces a document may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typeface {
    /// DejaVu Sans: running text.
    Sans,
    /// DejaVu Serif Bold: headings and the holder's name.
    SerifBold,
}

impl Typeface {
    const ALL: [Typeface; 2] = [Typeface::Sans, Typeface::SerifBold];

    fn data(self) -> &'static [u8] {
        match self {
            Typeface::Sans => SANS,
            Typeface::SerifBold => SERIF_BOLD,
        }
    }

    /// The PostScript name, as the PDF's `/BaseFont` spells it after the subset tag.
    pub(crate) fn postscript_name(self) -> &'static str {
        match self {
            Typeface::Sans => "DejaVuSans",
            Typeface::SerifBold => "DejaVuSerif-Bold",
        }
    }

    /// The name the page resources give the font, used by the `Tf` operator.
    pub(crate) fn resource_name(self) -> Name<'static> {
        match self {
            Typeface::Sans => Name(b"F1"),
            Typeface::SerifBold => Name(b"F2"),
        }
    }

    fn index(self) -> usize {
        match self {
            Typeface::Sans => 0,
            Typeface::SerifBold => 1,
        }
    }
}

/// One typeface as a document uses it: its parsed face, the glyphs used so far (renumbered in
/// order of first use, the ids the subset font will have) and the character each one shows.
struct UsedFont {
    typeface: Typeface,
    face: Face<'static>,
    glyphs: GlyphRemapper,
    /// Indexed by the new glyph id.
    characters: Vec<Option<char>>,
}

/// The fonts of one document being written.
pub(crate) struct Fonts {
    used: [UsedFont; 2],
}

impl Fonts {
    pub(crate) fn new() -> Result<Self, DocumentError> {
        let load = |typeface: Typeface| -> Result<UsedFont, DocumentError> {
            let face = Face::parse(typeface.data(), 0).map_err(|source| DocumentError::Font {
                font: typeface.postscript_name(),
                source,
            })?;
            Ok(UsedFont {
                typeface,
                face,
                glyphs: GlyphRemapper::new(),
                characters: vec![None],
            })
        };
        Ok(Self {
            used: [load(Typeface::Sans)?, load(Typeface::SerifBold)?],
        })
    }

    fn font(&self, typeface: Typeface) -> &UsedFont {
        &self.used[typeface.index()]
    }

    /// The width of `text` in points at `size`, without kerning (as it is drawn).
    pub(crate) fn width(
        &self,
        typeface: Typeface,
        text: &str,
        size: f32,
    ) -> Result<f32, DocumentError> {
        let font = self.font(typeface);
        let mut units = 0u32;
        for character in text.chars() {
            let glyph = font.glyph(character)?;
            units += u32::from(font.face.glyph_hor_advance(glyph).unwrap_or(0));
        }
        Ok(units as f32 * size / f32::from(font.face.units_per_em()))
    }

    /// The glyph ids of `text` in the subset font, big-endian two bytes each (the `Identity-H`
    /// encoding), recording the glyphs as used.
    pub(crate) fn encode(
        &mut self,
        typeface: Typeface,
        text: &str,
    ) -> Result<Vec<u8>, DocumentError> {
        let font = &mut self.used[typeface.index()];
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for character in text.chars() {
            let glyph = font.glyph(character)?;
            let new = font.glyphs.remap(glyph.0);
            let slot = usize::from(new);
            if font.characters.len() <= slot {
                font.characters.resize(slot + 1, None);
            }
            if let Some(entry) = font.characters.get_mut(slot) {
                entry.get_or_insert(character);
            }
            bytes.extend_from_slice(&new.to_be_bytes());
        }
        Ok(bytes)
    }

    /// Writes every font that shows at least one glyph; returns the resource name and the
    /// reference of each, for the pages' resources.
    pub(crate) fn write(
        &self,
        chunk: &mut Chunk,
        next: &mut Ref,
    ) -> Result<Vec<(Name<'static>, Ref)>, DocumentError> {
        let mut written = Vec::new();
        for typeface in Typeface::ALL {
            let font = self.font(typeface);
            if font.glyphs.num_gids() > 1 {
                written.push((typeface.resource_name(), font.write(chunk, next)?));
            }
        }
        Ok(written)
    }
}

impl UsedFont {
    fn glyph(&self, character: char) -> Result<GlyphId, DocumentError> {
        self.face
            .glyph_index(character)
            .ok_or(DocumentError::UnsupportedCharacter {
                character,
                font: self.typeface.postscript_name(),
            })
    }

    /// `/Type0` font → `/CIDFontType2` descendant → descriptor → `/FontFile2` (the subset,
    /// compressed), plus the `/ToUnicode` map. CIDs are the subset's glyph ids (`Identity`).
    fn write(&self, chunk: &mut Chunk, next: &mut Ref) -> Result<Ref, DocumentError> {
        let font_name = self.typeface.postscript_name();
        let type0_ref = next.bump();
        let cid_ref = next.bump();
        let descriptor_ref = next.bump();
        let cmap_ref = next.bump();
        let data_ref = next.bump();

        let subset =
            subsetter::subset(self.typeface.data(), 0, &self.glyphs).map_err(|source| {
                DocumentError::Subset {
                    font: font_name,
                    source,
                }
            })?;
        let base_font = format!("{}+{font_name}", self.subset_tag());
        let base_font = Name(base_font.as_bytes());

        chunk
            .type0_font(type0_ref)
            .base_font(base_font)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        let per_em = f32::from(self.face.units_per_em());
        let scale = |units: f32| units * 1000.0 / per_em;
        let widths: Vec<f32> = self
            .glyphs
            .remapped_gids()
            .map(|old| {
                scale(f32::from(
                    self.face.glyph_hor_advance(GlyphId(old)).unwrap_or(0),
                ))
            })
            .collect();
        let mut cid = chunk.cid_font(cid_ref);
        cid.subtype(CidFontType::Type2)
            .base_font(base_font)
            .system_info(SYSTEM_INFO)
            .font_descriptor(descriptor_ref)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths().consecutive(0, widths);
        cid.finish();

        let bbox = self.face.global_bounding_box();
        let mut flags = FontFlags::SYMBOLIC;
        if self.typeface == Typeface::SerifBold {
            flags |= FontFlags::SERIF;
        }
        let ascender = scale(f32::from(self.face.ascender()));
        let weight = f32::from(self.face.weight().to_number());
        chunk
            .font_descriptor(descriptor_ref)
            .name(base_font)
            .flags(flags)
            .bbox(Rect::new(
                scale(f32::from(bbox.x_min)),
                scale(f32::from(bbox.y_min)),
                scale(f32::from(bbox.x_max)),
                scale(f32::from(bbox.y_max)),
            ))
            .italic_angle(self.face.italic_angle())
            .ascent(ascender)
            .descent(scale(f32::from(self.face.descender())))
            .cap_height(
                self.face
                    .capital_height()
                    .map_or(ascender, |height| scale(f32::from(height))),
            )
            .stem_v(10.0 + 0.244 * (weight - 50.0))
            .font_file2(data_ref);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
        for (glyph, character) in self.characters.iter().enumerate() {
            if let (Ok(glyph), Some(character)) = (u16::try_from(glyph), character) {
                cmap.pair(glyph, *character);
            }
        }
        chunk.cmap(cmap_ref, &cmap.finish());

        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&subset, 6);
        chunk
            .stream(data_ref, &compressed)
            .filter(Filter::FlateDecode)
            .pair(
                Name(b"Length1"),
                i32::try_from(subset.len()).unwrap_or(i32::MAX),
            );
        Ok(type0_ref)
    }

    /// Six capital letters derived from the font and the glyphs it keeps, so that two different
    /// subsets never share a name and the same input always gives the same one.
    fn subset_tag(&self) -> String {
        // FNV-1a, 64 bits: stable across runs and platforms, unlike std's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |byte: u8| {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        };
        self.typeface.postscript_name().bytes().for_each(&mut feed);
        for glyph in self.glyphs.remapped_gids() {
            glyph.to_be_bytes().into_iter().for_each(&mut feed);
        }
        (0..6)
            .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
            .collect()
    }
}

const SYSTEM_INFO: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_fonts_have_the_french_characters() {
        let mut fonts = Fonts::new().unwrap();
        let text = "àâäéèêëîïôöùûüÿçœæÀÂÉÈÊËÎÏÔÙÛÇŒÆ’«»•—–·\u{a0}\u{202f}€°";
        for typeface in Typeface::ALL {
            fonts.encode(typeface, text).unwrap();
        }
    }

    #[test]
    fn a_character_without_glyph_is_an_error() {
        let mut fonts = Fonts::new().unwrap();
        let error = fonts.encode(Typeface::Sans, "🎖").unwrap_err();
        assert!(matches!(
            error,
            DocumentError::UnsupportedCharacter {
                character: '🎖', ..
            }
        ));
    }

    #[test]
    fn glyphs_are_numbered_in_order_of_first_use() {
        let mut fonts = Fonts::new().unwrap();
        assert_eq!(
            fonts.encode(Typeface::Sans, "aba").unwrap(),
            [0, 1, 0, 2, 0, 1]
        );
        assert_eq!(
            fonts.font(Typeface::Sans).characters,
            [None, Some('a'), Some('b')]
        );
    }

    #[test]
    fn width_adds_up_the_advances() {
        let fonts = Fonts::new().unwrap();
        let one = fonts.width(Typeface::Sans, "m", 10.0).unwrap();
        let three = fonts.width(Typeface::Sans, "mmm", 10.0).unwrap();
        assert!(one > 5.0 && one < 12.0, "{one}");
        assert!((three - 3.0 * one).abs() < 1e-3);
    }
}
