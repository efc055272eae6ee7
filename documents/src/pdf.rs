//! Assembling the PDF file from laid-out pages: catalog, page tree, pages with their compressed
//! content and link annotations, fonts, and the document information, in a fixed object order.

use pdf_writer::types::{ActionType, AnnotationType};
use pdf_writer::{Filter, Finish, Pdf, Rect, Ref, Str, TextStr};

use crate::DocumentError;
use crate::layout::{A4_HEIGHT, A4_WIDTH, Flow};

/// What the document information dictionary and the viewer's title bar show.
pub(crate) struct Metadata<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub author: &'a str,
}

/// The bytes of the PDF holding `flow`'s pages. No date and no file identifier are written, so the
/// same pages always give the same bytes.
pub(crate) fn assemble(flow: Flow, metadata: &Metadata<'_>) -> Result<Vec<u8>, DocumentError> {
    let (fonts, pages) = flow.finish();
    let mut pdf = Pdf::new();
    let mut next = Ref::new(1);
    let catalog_ref = next.bump();
    let tree_ref = next.bump();
    let info_ref = next.bump();

    let fonts = fonts.write(&mut pdf, &mut next)?;

    let mut page_refs = Vec::with_capacity(pages.len());
    for page in pages {
        let page_ref = next.bump();
        let content_ref = next.bump();
        page_refs.push(page_ref);

        let link_refs: Vec<Ref> = page.links.iter().map(|_| next.bump()).collect();
        for (link, link_ref) in page.links.iter().zip(&link_refs) {
            let mut annotation = pdf.annotation(*link_ref);
            annotation
                .subtype(AnnotationType::Link)
                .rect(link.rect)
                .border(0.0, 0.0, 0.0, None);
            annotation
                .action()
                .action_type(ActionType::Uri)
                .uri(Str(link.uri.as_bytes()));
        }

        let mut writer = pdf.page(page_ref);
        writer
            .parent(tree_ref)
            .media_box(Rect::new(0.0, 0.0, A4_WIDTH, A4_HEIGHT))
            .contents(content_ref);
        if !link_refs.is_empty() {
            writer.annotations(link_refs);
        }
        let mut resources = writer.resources();
        let mut font_dict = resources.fonts();
        for (name, font_ref) in &fonts {
            font_dict.pair(*name, *font_ref);
        }
        font_dict.finish();
        resources.finish();
        writer.finish();

        let content = miniz_oxide::deflate::compress_to_vec_zlib(&page.content.finish(), 6);
        pdf.stream(content_ref, &content)
            .filter(Filter::FlateDecode);
    }

    let count = i32::try_from(page_refs.len()).unwrap_or(i32::MAX);
    pdf.pages(tree_ref).kids(page_refs).count(count);

    let mut catalog = pdf.catalog(catalog_ref);
    catalog.pages(tree_ref).lang(TextStr("fr-FR"));
    catalog.viewer_preferences().display_doc_title(true);
    catalog.finish();

    pdf.document_info(info_ref)
        .title(TextStr(metadata.title))
        .subject(TextStr(metadata.subject))
        .author(TextStr(metadata.author))
        .creator(TextStr("certif"))
        .producer(TextStr("certif-documents"));

    Ok(pdf.finish())
}
