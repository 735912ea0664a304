module.exports = {
  displayName: 'evaluators',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // hyparquet and hyparquet-writer ship ESM only; let the SWC transform compile them to CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
};
