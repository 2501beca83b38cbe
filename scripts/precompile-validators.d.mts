/** Path of the generated metadata validators. */
export declare const OUTPUT: string;
/** Path of the generated meta-schema validators. */
export declare const META_OUTPUT: string;
/** The generated module's text for the two schemas: `validateEventMetadata` and `validateTopics`. */
export declare function validatorsSource(schemas: { readonly event: unknown; readonly topics: unknown }): string;
/** The generated meta-schema validators' module text, for ajv instances made with `options` (parse.ts's `AJV_OPTIONS`). */
export declare function metaValidatorsSource(options: Readonly<Record<string, unknown>>): string;
