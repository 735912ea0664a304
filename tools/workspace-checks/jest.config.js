module.exports = {
  displayName: 'workspace-checks',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // The judge-cache seam test loads @smart/preference-store, whose hyparquet dependencies ship ESM only.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
};
