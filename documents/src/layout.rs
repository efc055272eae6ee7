//! Page layout: text wrapped on glyph widths, flowed from the top of an A4 page down to its bottom
//! margin and onto a new page when it runs out, plus a footer held at the bottom of the last page.

use pdf_writer::{Content, Rect, Str};

use crate::DocumentError;
use crate::fonts::{Fonts, Typeface};

/// A4 portrait in points (210 × 297 mm).
pub(crate) const A4_WIDTH: f32 = 595.28;
pub(crate) const A4_HEIGHT: f32 = 841.89;

/// An RGB colour, components in 0..=1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

/// « Bleu France », the blue of the State's visual identity (#000091).
pub(crate) const BLUE: Rgb = Rgb(0.0, 0.0, 0.569);
/// Running text (#161616).
pub(crate) const INK: Rgb = Rgb(0.086, 0.086, 0.086);
/// Secondary text (#666666).
pub(crate) const GREY: Rgb = Rgb(0.4, 0.4, 0.4);

/// How a run of text looks; `leading` is the distance from one baseline to the next.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub typeface: Typeface,
    pub size: f32,
    pub leading: f32,
    pub color: Rgb,
}

impl Style {
    pub(crate) const fn new(typeface: Typeface, size: f32, color: Rgb) -> Self {
        Self {
            typeface,
            size,
            leading: size * 1.4,
            color,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// A horizontal band of the page that text is set in: `left` edge and `width`, in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub left: f32,
    pub width: f32,
}

impl Column {
    /// The part of this column that starts `offset` points further right.
    pub(crate) fn indented(self, offset: f32) -> Self {
        Self {
            left: self.left + offset,
            width: (self.width - offset).max(1.0),
        }
    }
}

/// A web link over a rectangle of a page.
pub(crate) struct Link {
    pub rect: Rect,
    pub uri: String,
}

/// One page being drawn.
pub(crate) struct Page {
    pub content: Content,
    pub links: Vec<Link>,
}

/// Whether a breaking space: any white space except the no-break ones that French typography
/// puts before « : » and inside « … ».
fn breaks(character: char) -> bool {
    character.is_whitespace() && !matches!(character, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

/// The words of `text`, French punctuation kept with its word: `«` with the word after it, and
/// `»`, `:`, `;`, `!`, `?` with the word before (« Signal Conso » never ends a line on `»`).
fn glued_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(breaks).filter(|word| !word.is_empty()) {
        let closing = word.starts_with(['»', ':', ';', '!', '?']);
        match words.last_mut() {
            Some(last) if closing || last.ends_with('«') => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    words
}

/// Splits `text` into lines no wider than `max_width` points: greedy, on spaces; a word wider than
/// a whole line (a long URL, a name without spaces) is cut between characters. Runs of white space,
/// line breaks included, count as one space. An empty text gives no line.
/// French punctuation stays with its word (see `glued_words`).
pub(crate) fn wrap(
    fonts: &Fonts,
    typeface: Typeface,
    size: f32,
    text: &str,
    max_width: f32,
) -> Result<Vec<String>, DocumentError> {
    let space = fonts.width(typeface, " ", size)?;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in &glued_words(text) {
        let word = word.as_str();
        let width = fonts.width(typeface, word, size)?;
        if !line.is_empty() && line_width + space + width <= max_width {
            line.push(' ');
            line.push_str(word);
            line_width += space + width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if width <= max_width {
            line.push_str(word);
            line_width = width;
            continue;
        }
        // Too wide for any line: cut it, keeping at least one character per line.
        line_width = 0.0;
        for character in word.chars() {
            let advance = fonts.width(typeface, character.encode_utf8(&mut [0; 4]), size)?;
            if !line.is_empty() && line_width + advance > max_width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(character);
            line_width += advance;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// `url` when a PDF link can point to it: a plain (ASCII) http(s) address.
fn linkable(url: &str) -> Option<&str> {
    let web = url.starts_with("https://") || url.starts_with("http://");
    (web && url.is_ascii()).then_some(url)
}

/// Page margins in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Margins {
    pub top: f32,
    pub bottom: f32,
}

/// Text flowing down A4 pages. `y` is the top of the next line; a line that would go below the
/// bottom margin starts a new page, which `decorate` draws on first (a border, a header).
pub(crate) struct Flow {
    fonts: Fonts,
    pages: Vec<Page>,
    y: f32,
    margins: Margins,
    decorate: fn(&mut Content),
}

impl Flow {
    pub(crate) fn new(margins: Margins, decorate: fn(&mut Content)) -> Result<Self, DocumentError> {
        let mut flow = Self {
            fonts: Fonts::new()?,
            pages: Vec::new(),
            y: 0.0,
            margins,
            decorate,
        };
        flow.new_page();
        Ok(flow)
    }

    fn new_page(&mut self) {
        let mut content = Content::new();
        (self.decorate)(&mut content);
        self.pages.push(Page {
            content,
            links: Vec::new(),
        });
        self.y = A4_HEIGHT - self.margins.top;
    }

    /// Moves down by `points` (white space; never starts a page by itself).
    pub(crate) fn space(&mut self, points: f32) {
        self.y -= points;
    }

    /// A paragraph wrapped to `column`.
    pub(crate) fn paragraph(
        &mut self,
        text: &str,
        style: Style,
        align: Align,
        column: Column,
    ) -> Result<(), DocumentError> {
        for line in wrap(&self.fonts, style.typeface, style.size, text, column.width)? {
            self.line(&line, style, align, column, None)?;
        }
        Ok(())
    }

    /// A paragraph that is a web address: wrapped like any text, each line a link to `url`
    /// (when it is a plain http(s) address a PDF can hold).
    pub(crate) fn link(
        &mut self,
        url: &str,
        style: Style,
        align: Align,
        column: Column,
    ) -> Result<(), DocumentError> {
        for line in wrap(&self.fonts, style.typeface, style.size, url, column.width)? {
            self.line(&line, style, align, column, linkable(url))?;
        }
        Ok(())
    }

    /// A bulleted list: `•` in the column's left edge, each item wrapped `indent` further right.
    pub(crate) fn bullets(
        &mut self,
        items: &[String],
        style: Style,
        column: Column,
        indent: f32,
        gap: f32,
    ) -> Result<(), DocumentError> {
        let text_column = column.indented(indent);
        for item in items {
            let lines = wrap(
                &self.fonts,
                style.typeface,
                style.size,
                item,
                text_column.width,
            )?;
            if lines.is_empty() {
                continue;
            }
            for (index, line) in lines.iter().enumerate() {
                let top = self.line(line, style, Align::Left, text_column, None)?;
                if index == 0 {
                    self.draw(top, "•", style, column.left, None)?;
                }
            }
            self.space(gap);
        }
        Ok(())
    }

    /// Lines held together at the bottom of the last page, `bottom` points above its edge: on a
    /// new page when the flow has already gone below their top.
    pub(crate) fn footer(
        &mut self,
        blocks: &[(&str, Style, bool)],
        column: Column,
        bottom: f32,
    ) -> Result<(), DocumentError> {
        let mut lines = Vec::new();
        for (text, style, is_link) in blocks {
            for line in wrap(&self.fonts, style.typeface, style.size, text, column.width)? {
                let link = if *is_link { linkable(text) } else { None };
                lines.push((line, *style, link));
            }
        }
        let height: f32 = lines.iter().map(|(_, style, _)| style.leading).sum();
        if self.y < bottom + height {
            self.new_page();
        }
        self.y = bottom + height;
        for (line, style, link) in lines {
            self.set_line(&line, style, Align::Center, column, link)?;
        }
        Ok(())
    }

    /// Sets one line at the cursor, on a new page if it would cross the bottom margin, and moves
    /// the cursor down; returns the line's top.
    fn line(
        &mut self,
        text: &str,
        style: Style,
        align: Align,
        column: Column,
        link: Option<&str>,
    ) -> Result<f32, DocumentError> {
        if self.y - style.leading < self.margins.bottom {
            self.new_page();
        }
        self.set_line(text, style, align, column, link)
    }

    /// Sets one line at the cursor wherever it is, and moves the cursor down; returns its top.
    fn set_line(
        &mut self,
        text: &str,
        style: Style,
        align: Align,
        column: Column,
        link: Option<&str>,
    ) -> Result<f32, DocumentError> {
        let width = self.fonts.width(style.typeface, text, style.size)?;
        let x = match align {
            Align::Left => column.left,
            Align::Center => column.left + (column.width - width) / 2.0,
            Align::Right => column.left + column.width - width,
        };
        let top = self.y;
        self.draw(top, text, style, x, link)?;
        self.y -= style.leading;
        Ok(top)
    }

    /// Draws `text` on the current page, its line box starting at `top`.
    fn draw(
        &mut self,
        top: f32,
        text: &str,
        style: Style,
        x: f32,
        link: Option<&str>,
    ) -> Result<(), DocumentError> {
        // The baseline sits so that the line box holds the ascenders and the descenders.
        let baseline = top - (style.leading + style.size * 0.7) / 2.0;
        let glyphs = self.fonts.encode(style.typeface, text)?;
        let width = self.fonts.width(style.typeface, text, style.size)?;
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        let Rgb(r, g, b) = style.color;
        page.content
            .set_fill_rgb(r, g, b)
            .begin_text()
            .set_font(style.typeface.resource_name(), style.size)
            .next_line(x, baseline)
            .show(Str(&glyphs))
            .end_text();
        if let Some(uri) = link {
            page.links.push(Link {
                rect: Rect::new(
                    x,
                    baseline - style.size * 0.3,
                    x + width,
                    baseline + style.size,
                ),
                uri: uri.to_owned(),
            });
        }
        Ok(())
    }

    /// The fonts with the glyphs used, and the pages drawn.
    pub(crate) fn finish(self) -> (Fonts, Vec<Page>) {
        (self.fonts, self.pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, max_width: f32) -> Vec<String> {
        let fonts = Fonts::new().unwrap();
        wrap(&fonts, Typeface::Sans, 10.0, text, max_width).unwrap()
    }

    #[test]
    fn short_text_stays_on_one_line() {
        assert_eq!(lines("Camille Lefèvre", 400.0), ["Camille Lefèvre"]);
    }

    #[test]
    fn text_wraps_between_words_within_the_width() {
        let fonts = Fonts::new().unwrap();
        let text = "Investigation du problème que ta Startup cherche à résoudre";
        let wrapped = wrap(&fonts, Typeface::Sans, 10.0, text, 120.0).unwrap();
        assert!(wrapped.len() > 1);
        assert_eq!(wrapped.join(" "), text);
        for line in &wrapped {
            assert!(
                fonts.width(Typeface::Sans, line, 10.0).unwrap() <= 120.0,
                "{line}"
            );
        }
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let url = "https://certif.beta.gouv.fr/verify/CERT-2027-05-7F3K9Q-and-a-very-long-tail";
        let wrapped = lines(url, 100.0);
        assert!(wrapped.len() > 2);
        assert_eq!(wrapped.concat(), url);
    }

    #[test]
    fn white_space_runs_collapse_and_no_break_spaces_hold() {
        assert_eq!(lines("  a \n\t b  ", 400.0), ["a b"]);
        assert_eq!(lines("Objet\u{a0}:", 400.0), ["Objet\u{a0}:"]);
        assert!(lines(" \n ", 400.0).is_empty());
    }

    #[test]
    fn french_punctuation_never_starts_or_ends_a_line_alone() {
        let fonts = Fonts::new().unwrap();
        let text = "le chef du bureau « Pilotage » ; vraiment : oui !";
        // From the width of the widest glued group, « « Pilotage » ; », up.
        for max_width in (80..250).map(|w| w as f32) {
            for line in wrap(&fonts, Typeface::Sans, 10.0, text, max_width).unwrap() {
                assert!(
                    !line.starts_with(['»', ':', ';', '!']),
                    "{line:?} at {max_width}"
                );
                assert!(!line.ends_with('«'), "{line:?} at {max_width}");
            }
        }
    }

    #[test]
    fn a_line_narrower_than_one_character_still_progresses() {
        assert_eq!(lines("abc", 0.5), ["a", "b", "c"]);
    }
}
