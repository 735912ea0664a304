module.exports = {
  displayName: 'preference-store',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
