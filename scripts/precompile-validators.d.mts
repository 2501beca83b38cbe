/** Path of the generated module. */
export declare const OUTPUT: string;
/** The generated module's text for the two schemas: `validateEventMetadata` and `validateTopics`. */
export declare function validatorsSource(schemas: { readonly event: unknown; readonly topics: unknown }): string;
