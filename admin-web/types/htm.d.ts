/**
 * Types for /web/vendor/htm.js. htm's own d.ts is read as CommonJS (its package has no
 * "type": "module"), which hides the default export from ES-module checking; same shape here.
 */
declare const htm: {
  bind<HResult>(h: (type: any, props: Record<string, any>, ...children: any[]) => HResult): (strings: TemplateStringsArray, ...values: any[]) => HResult | HResult[];
};
export default htm;
