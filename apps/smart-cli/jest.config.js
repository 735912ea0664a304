module.exports = {
  displayName: 'smart-cli',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // hyparquet and hyparquet-writer (via @smart/preference-store) ship ESM only; SWC compiles them for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
};
