/** Why the metadata document behind a client ID URL cannot identify an app: shown to the app as `error_description`. */
export class ClientMetadataDocumentError extends Error {}
