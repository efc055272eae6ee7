// How the dossier's files read: their size in French units, their type in words, and what the
// file inputs accept. The server checks every file (size, type read from its content); these
// only describe its rules to the person before they choose.

/** The server's default UPLOAD_MAX_FILE_BYTES (api/src/config.rs): 20 MiB per file. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Most files in one item of a dossier (api/src/dossier.rs, MAX_FILES_PER_KIND). */
export const MAX_FILES_PER_ITEM = 10;

/** What the inputs accept: the extensions the server takes (schema/src/storage/sniff.rs). */
export const ACCEPTED_EXTENSIONS = [
  ".pdf",
  ".png",
  ".jpg",
  ".jpeg",
  ".gif",
  ".webp",
  ".docx",
  ".xlsx",
  ".pptx",
  ".odt",
  ".ods",
  ".odp",
  ".doc",
  ".xls",
  ".ppt",
] as const;

export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.join(",");

/** The hint under every file input. */
export const FILE_HINT =
  "Formats acceptés : PDF, PNG, JPEG, GIF, WebP, documents bureautiques et OpenDocument. Taille maximale : 20 Mo par fichier, 10 fichiers par pièce.";

/** « 64 Ko », « 1,5 Mo », « 20 Mo »: rounded up to a tenth, like the server's messages. */
export function fileSize(bytes: number): string {
  const KIB = 1024;
  const MIB = 1024 * 1024;
  const [unit, name] = bytes >= MIB ? [MIB, "Mo"] : [KIB, "Ko"];
  const tenths = Math.ceil((Math.max(bytes, 0) * 10) / unit);
  const whole = Math.floor(tenths / 10);
  const rest = tenths % 10;
  return rest === 0 ? `${whole} ${name}` : `${whole},${rest} ${name}`;
}

const TYPE_LABELS: Readonly<Record<string, string>> = {
  "application/pdf": "PDF",
  "image/png": "image PNG",
  "image/jpeg": "image JPEG",
  "image/gif": "image GIF",
  "image/webp": "image WebP",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document Word",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "classeur Excel",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "présentation PowerPoint",
  "application/vnd.oasis.opendocument.text": "texte OpenDocument",
  "application/vnd.oasis.opendocument.spreadsheet": "classeur OpenDocument",
  "application/vnd.oasis.opendocument.presentation": "présentation OpenDocument",
  "application/msword": "document Word",
  "application/vnd.ms-excel": "classeur Excel",
  "application/vnd.ms-powerpoint": "présentation PowerPoint",
};

/** The file's type in words (« PDF », « image PNG »); the media type itself when unknown. */
export function fileTypeLabel(mediaType: string): string {
  return TYPE_LABELS[mediaType.toLowerCase()] ?? mediaType;
}

/** « PDF – 1,5 Mo »: the detail line of a download link (DSFR's fr-link__detail). */
export function fileDetail(mediaType: string, bytes: number): string {
  return `${fileTypeLabel(mediaType)} – ${fileSize(bytes)}`;
}
