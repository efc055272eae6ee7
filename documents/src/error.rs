//! Why a document could not be rendered. Every error is about the input or the embedded fonts;
//! nothing here depends on the machine, so the same input always fails the same way.

/// A document that could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// A field the document cannot do without is empty (or only spaces).
    #[error("the field `{0}` is empty")]
    EmptyField(&'static str),

    /// The text holds a character the font has no glyph for (an emoji, a control character…).
    #[error("the font {font} has no glyph for the character {character:?} (U+{code:04X})", code = u32::from(*character))]
    UnsupportedCharacter {
        /// The character without a glyph.
        character: char,
        /// The font it was looked up in.
        font: &'static str,
    },

    /// An embedded font could not be read; a bug in this crate, not in the input.
    #[error("the embedded font {font} could not be read: {source}")]
    Font {
        /// The font's PostScript name.
        font: &'static str,
        /// What the font parser said.
        #[source]
        source: ttf_parser::FaceParsingError,
    },

    /// An embedded font could not be subset; a bug in this crate, not in the input.
    #[error("the embedded font {font} could not be subset: {source}")]
    Subset {
        /// The font's PostScript name.
        font: &'static str,
        /// What the subsetter said.
        #[source]
        source: subsetter::Error,
    },
}

/// `Ok` when `value` holds more than white space, the error naming `field` otherwise.
pub(crate) fn required(value: &str, field: &'static str) -> Result<(), DocumentError> {
    if value.trim().is_empty() {
        return Err(DocumentError::EmptyField(field));
    }
    Ok(())
}
