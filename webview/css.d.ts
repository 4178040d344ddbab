// esbuild bundles imported stylesheets into <bundle>.css next to the script; the import itself has no value.
declare module '*.css';
