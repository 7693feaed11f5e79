export default definePageConfig({ navigationBarTitleText: '会员登录' });
