/** Default Kafka bootstrap address of the test services. */
export const DEFAULT_KAFKA_BROKERS: string;
/** Default Confluent-compatible registry URL of the test services. */
export const DEFAULT_REGISTRY_URL: string;
/** The addresses in force: the environment's, else the defaults. */
export function serviceAddresses(): { brokers: string; registryUrl: string };
/** Starts whichever service does not answer yet; resolves to the names of those it started. */
export function start(): Promise<string[]>;
/** Stops the named services if this script started them. */
export function stop(names?: string[]): Promise<void>;
