import { createApp } from 'vue';
import '../shared/demo.css';
import { GuestApp } from './GuestApp';

createApp(GuestApp).mount('#app');
