/**
 * The values that travel in ISPConfig's RPC/encoded SOAP messages, as JavaScript sees them.
 *
 * Encoding (what we send, as PHP's SoapClient would):
 *   string → xsd:string, integer number → xsd:int, non-integer number → xsd:float,
 *   boolean → xsd:boolean, null → xsi:nil, array → SOAP-ENC:Array, plain object → ns2:Map.
 * Decoding (what the panel answers): the same mapping in reverse. Every value the panel reads
 * from its database comes back as a string; the typed API layer converts them.
 */
export type SoapScalar = string | number | boolean | null;
export type SoapValue = SoapScalar | SoapValue[] | SoapMap;
export interface SoapMap {
    [key: string]: SoapValue;
}

export function isSoapMap(v: SoapValue | undefined): v is SoapMap {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
